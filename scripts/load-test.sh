#!/usr/bin/env bash
# The server's load and latency measurements (docs/PERFORMANCE.md), each run a separate process on loopback:
#   1. 10,000 single-sentence requests from 64 connections, 5% malformed, every vector checked against the
#      library's; the server's peak RSS
#   2. latency at 1, 16 and 64 concurrent clients; the embed path's own rate on the same sentences (bench)
#   3. an overload run (16 requests in flight at most, 64 queued inputs, 256 connections): 429s, not
#      time-outs; then a normal run (it recovers); then SIGTERM: the server drains and exits 0
# Usage: bash scripts/load-test.sh [OUTDIR]   (MODEL, THREADS, LIMIT, REQUESTS from the environment)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-target/load-test}
MODEL=${MODEL:-smollm2-135m}
THREADS=${THREADS:-2}
LIMIT=${LIMIT:-512}
REQUESTS=${REQUESTS:-10000}
PORT=${PORT:-18080}
mkdir -p "$OUT"
URL=http://127.0.0.1:$PORT

start_server() {
  bin/sentemb serve --model "$MODEL" --port "$PORT" --threads "$THREADS" "$@" > "$OUT/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 300); do
    curl -sf "$URL/health" > /dev/null 2>&1 && return 0
    kill -0 "$SERVER" 2> /dev/null || { cat "$OUT/serve.log"; exit 1; }
    sleep 0.2
  done
  echo "server did not come up"; exit 1
}

stop_server() {
  kill -TERM "$SERVER"
  local rc=0
  wait "$SERVER" || rc=$?
  echo "server exited with $rc after SIGTERM" | tee -a "$OUT/summary.txt"
}

start_server
bin/sentemb load --url "$URL" --requests "$REQUESTS" --concurrency 64 --malformed-percent 5 --limit "$LIMIT" \
    --verify-model "$MODEL" --server-pid "$SERVER" --json "$OUT/load-64.json" > /dev/null
for c in 1 16 64; do
  n=$(( c == 1 ? 200 : c * 16 ))
  bin/sentemb load --url "$URL" --requests "$n" --concurrency "$c" --malformed-percent 0 --limit "$LIMIT" \
      --server-pid "$SERVER" --json "$OUT/latency-$c.json" > /dev/null
done
stop_server
bin/sentemb bench --model "$MODEL" --threads "$THREADS" --limit "$LIMIT" --warmup 16 > "$OUT/bench.json" 2> "$OUT/bench.log"

start_server --max-concurrent-requests 16 --max-queued-inputs 64
bin/sentemb load --url "$URL" --requests 2000 --concurrency 256 --malformed-percent 0 --limit "$LIMIT" --expect-overload \
    --timeout-seconds 60 --json "$OUT/overload.json" > /dev/null
bin/sentemb load --url "$URL" --requests 200 --concurrency 8 --malformed-percent 0 --limit "$LIMIT" \
    --verify-model "$MODEL" --json "$OUT/recovered.json" > /dev/null
stop_server
echo "reports in $OUT" | tee -a "$OUT/summary.txt"
