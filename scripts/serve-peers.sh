#!/usr/bin/env bash
# `sentemb serve` beside llama.cpp's server (llama-cpp-python's, embedding mode, pooling last; needs the oracle venv,
# tools/oracle/README.md) and beside the embed path's own rate (`sentemb bench`), on the same STS-B sentences and
# threads. Every server runs the whole time; each round drives each of them in turn with 1, 16 and 64 concurrent
# single-sentence clients (`sentemb load`, a process of its own) and runs bench once, so a noisy machine moves them
# all alike. Variants: sentemb native, sentemb with -XX:UseAVX=2 (an AVX2 machine's JIT), llama.cpp.
# Each timed run follows 128 warm-up requests at its concurrency; sentemb's runs at 16 and more clients send REQUESTS
# (default 4 x LIMIT: the sentences in turn, so a run's start and end are a small part of it), its 1-client runs LIMIT;
# llama.cpp answers one request at a time whatever the concurrency, so its runs send PEER_REQUESTS (default 256).
# Usage: bash scripts/serve-peers.sh [OUTDIR]   (MODEL, THREADS, LIMIT, REQUESTS, PEER_REQUESTS, ROUNDS, CLIENTS, VARIANTS
# from the environment)
# The summary (medians over rounds, read with jq) goes to OUTDIR/summary.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v jq > /dev/null || { echo "serve-peers: needs jq (the summary reads the JSON reports)" >&2; exit 2; }
OUT=${1:-target/serve-peers}
MODEL=${MODEL:-smollm2-135m}
THREADS=${THREADS:-2}
LIMIT=${LIMIT:-512}
REQUESTS=${REQUESTS:-$((4 * LIMIT))}
PEER_REQUESTS=${PEER_REQUESTS:-256}
ROUNDS=${ROUNDS:-3}
CLIENTS=${CLIENTS:-"1 16 64"}
VARIANTS=${VARIANTS:-"native avx2 llamacpp"}
PY=${SENTEMB_ORACLE_PYTHON:-$HOME/.cache/sentemb-oracle/venv/bin/python}
mkdir -p "$OUT"
declare -A PORT=([native]=18090 [avx2]=18091 [llamacpp]=18092) OPTS=([native]="" [avx2]="-XX:UseAVX=2") PID=()

wait_up() { # $1 variant
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "http://127.0.0.1:${PORT[$1]}/v1/models" && return 0
    kill -0 "${PID[$1]}" 2> /dev/null || { cat "$OUT/$1.log"; exit 1; }
    sleep 0.2
  done
  echo "$1 did not come up"; exit 1
}
stop_all() { for v in "${!PID[@]}"; do kill -TERM "${PID[$v]}" 2> /dev/null || true; done; wait 2> /dev/null || true; }
trap stop_all EXIT

for v in $VARIANTS; do
  if [ "$v" = llamacpp ]; then
    (cd tools/oracle && exec "$PY" llamacpp_server.py --model "$MODEL" --port "${PORT[$v]}" --threads "$THREADS") > "$OUT/$v.log" 2>&1 &
  else
    SENTEMB_JAVA_OPTS="${OPTS[$v]}" bin/sentemb serve --model "$MODEL" --port "${PORT[$v]}" --threads "$THREADS" > "$OUT/$v.log" 2>&1 &
  fi
  PID[$v]=$!
  wait_up "$v"
done
for v in $VARIANTS; do # warm-up (the JIT, the prefix cache, packing): not recorded
  send=(); [ "$v" = llamacpp ] && send=(--send-prompts eol --model-name "$MODEL")
  bin/sentemb load --url "http://127.0.0.1:${PORT[$v]}" --requests 96 --concurrency 8 --malformed-percent 0 --limit "$LIMIT" \
      "${send[@]}" > /dev/null
done
echo "serve-peers: $MODEL, $LIMIT sentences ($REQUESTS requests a run, llama.cpp $PEER_REQUESTS), $THREADS threads, $ROUNDS rounds, clients $CLIENTS; load $(cut -d' ' -f1-3 /proc/loadavg)" \
    | tee "$OUT/summary.md"

for r in $(seq 1 "$ROUNDS"); do
  for v in $VARIANTS; do
    [ "$v" = llamacpp ] && continue
    SENTEMB_JAVA_OPTS="${OPTS[$v]}" bin/sentemb bench --model "$MODEL" --threads "$THREADS" --limit "$LIMIT" --warmup 16 \
        > "$OUT/bench-$v-$r.json" 2> /dev/null
  done
  for c in $CLIENTS; do
    for v in $VARIANTS; do
      send=(); verify=(--verify-model "$MODEL"); n=$REQUESTS
      [ "$c" = 1 ] && n=$LIMIT
      [ "$v" = llamacpp ] && { send=(--send-prompts eol --model-name "$MODEL"); verify=(); n=$PEER_REQUESTS; }
      # the load process verifies with the library on the server's own instruction set (the bits depend on it)
      SENTEMB_JAVA_OPTS="${OPTS[$v]:-}" bin/sentemb load --url "http://127.0.0.1:${PORT[$v]}" --requests "$n" --concurrency "$c" --malformed-percent 0 \
          --warmup 128 --limit "$LIMIT" "${send[@]}" "${verify[@]}" --server-pid "${PID[$v]}" --json "$OUT/load-$v-c$c-$r.json" > /dev/null
    done
  done
  echo "round $r done; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
{
  echo
  echo "| server | clients | sentences/s (median) | per round | p50 ms | p99 ms | server RSS peak MB |"
  echo "|---|---:|---:|---|---:|---:|---:|"
  for c in $CLIENTS; do
    for v in $VARIANTS; do
      f=("$OUT"/load-$v-c$c-*.json)
      rates=$(jq -r '.sentences_per_s' "${f[@]}")
      printf '| %s | %s | %.1f | %s | %.1f | %.1f | %.0f |\n' "$v" "$c" "$(echo "$rates" | median)" \
          "$(echo "$rates" | awk '{printf "%s%.1f", (NR>1?" ":""), $1}')" \
          "$(jq -r '.latency_p50_ms' "${f[@]}" | median)" "$(jq -r '.latency_p99_ms' "${f[@]}" | median)" \
          "$(jq -r '.server_rss_peak_mb' "${f[@]}" | sort -g | tail -1)"
    done
  done
  echo
  echo "| sentemb | embed path (bench) sentences/s, per round | 64 clients ÷ bench, per round | median |"
  echo "|---|---|---|---:|"
  for v in $VARIANTS; do
    [ "$v" = llamacpp ] && continue
    ratios=""
    for r in $(seq 1 "$ROUNDS"); do
      b=$(jq -r 'select(.sentences_per_s != null) | .sentences_per_s' "$OUT/bench-$v-$r.json" | head -1)
      l=$(jq -r '.sentences_per_s' "$OUT/load-$v-c64-$r.json")
      ratios="$ratios $(awk -v l="$l" -v b="$b" 'BEGIN {printf "%.3f", l / b}')"
    done
    printf '| %s | %s | %s | %s |\n' "$v" \
        "$(for r in $(seq 1 "$ROUNDS"); do jq -r 'select(.sentences_per_s != null) | .sentences_per_s' "$OUT/bench-$v-$r.json" | head -1; done \
           | awk '{printf "%s%.1f", (NR>1?" ":""), $1}')" "${ratios# }" "$(echo $ratios | tr ' ' '\n' | median)"
  done
  echo
  echo "checks: $(jq -s '[.[] | ."5xx" + .connection_errors + .timeouts + .vector_mismatches] | add' "$OUT"/load-*.json) errors,"\
       "5xx, time-outs or vector mismatches over $(ls "$OUT"/load-*.json | wc -l) runs (sentemb's vectors verified bitwise)"
} | tee -a "$OUT/summary.md"
