#!/usr/bin/env bash
# The nightly-sized model-file fuzz, not part of CI: ModelFuzz (GGUF, safetensors, configs, tokenizer files,
# PyTorch zips, PEFT adapters) in a JVM of its own with a 512 MB heap, tens of thousands of cases, a new seed
# each day. A finding prints its case number and what was damaged; re-run one case with
#   java -Xmx512m --add-modules jdk.incubator.vector -cp ... dev.sentemb.fuzz.ModelFuzz --seed S --only K
# Env: CASES (default 40000), SEED (default today's date as YYYYMMDD). Output: target/fuzz-nightly.log.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
cases="${CASES:-40000}"
seed="${SEED:-$(date +%Y%m%d)}"
mkdir -p target
echo "fuzz-nightly: $cases cases, seed $seed"
mvn -B -ntp -pl sentemb-core -am install -DskipTests -q
mvn -B -ntp -pl sentemb-core surefire:test -Dtest=ModelFuzzTest -Dsentemb.fuzz.cases="$cases" -Dsentemb.fuzz.seed="$seed" \
  | tee target/fuzz-nightly.log | grep -E "model fuzz:|^  [a-z]+: |findings|case [0-9]+ |Tests run:|BUILD"
