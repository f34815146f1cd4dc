#!/usr/bin/env bash
# sentemb beside its peers, one after another on the same sentences and threads, then the ratios.
#   scripts/bench-peers.sh [--model smollm2-135m] [--limit 400] [--threads 2] [--peers hf,llamacpp] [--templates plain,icl]
# Needs the oracle venv (tools/oracle/README.md) for the peers; sentemb must be built.
# Results (JSON lines) go to bench-results/peers-<date>.jsonl; the table to stdout.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
model=smollm2-135m limit=400 threads=2 peers=hf,llamacpp templates=plain,icl
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model=$2; shift 2 ;;
    --limit) limit=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --peers) peers=$2; shift 2 ;;
    --templates) templates=$2; shift 2 ;;
    *) echo "bench-peers: unknown option $1" >&2; exit 2 ;;
  esac
done
py="${SENTEMB_ORACLE_PYTHON:-$HOME/.cache/sentemb-oracle/venv/bin/python}"
out="$root/bench-results/peers-$(date +%Y%m%d-%H%M%S).jsonl"
mkdir -p "$root/bench-results"
# bin/sentemb sets the JVM options (a fixed young generation: see there); peak RSS is reported.
echo "bench-peers: $model, $limit sentences, $threads threads; load $(cut -d' ' -f1-3 /proc/loadavg); results in $out" >&2
for t in ${templates//,/ }; do
  if [ "$t" = icl ]; then spec=icl:smoking; icl=--icl; else spec=eol; icl=; fi
  "$root/bin/sentemb" bench --model "$model" --template "$spec" --threads "$threads" --limit "$limit" >>"$out"
  (cd "$root/tools/oracle" && "$py" bench_peers.py --model "$model" --threads "$threads" --limit "$limit" $icl --peers "$peers" >>"$out")
done
"$py" "$root/tools/oracle/bench_ratios.py" "$out"
