#!/usr/bin/env bash
# The whole test suite: selects JDK 25, builds every module and runs every test, the real-model
# tests included (they fetch smollm2-135m and qwen2.5-coder-0.5b into the model cache on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
echo "sentemb: JDK $(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.version =/ {print $2; exit}') at $JAVA_HOME"
exec mvn -B -ntp install "$@"
