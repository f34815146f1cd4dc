#!/usr/bin/env bash
# The whole test suite: selects JDK 25, builds every module and runs every test, the real-model
# tests included (they fetch smollm2-135m and qwen2.5-coder-0.5b into the model cache on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
# The HTML report test renders the report in headless Chromium (Debian package); install it once.
if ! command -v chromium >/dev/null 2>&1; then
  echo "sentemb: installing chromium for the report test"
  (apt-get update -q && apt-get install -y -q chromium) >/dev/null
fi
echo "sentemb: JDK $(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.version =/ {print $2; exit}') at $JAVA_HOME"
exec mvn -B -ntp install "$@"
