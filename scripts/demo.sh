#!/usr/bin/env bash
# Builds sentemb, fetches the default model if absent, and embeds a few sample sentences,
# printing their cosine-similarity matrix.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
mvn -B -ntp -q install -DskipTests
exec bin/sentemb demo "$@"
