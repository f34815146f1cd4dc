#!/usr/bin/env bash
# spark-embed against sentemb embed, side by side in one run, on every distinct STS-B and SICK sentence:
# rows/s in local[2], rows/s on a two-worker standalone cluster on loopback (Master and Workers in JVMs of
# their own, started from the Spark jars the build laid out), time to first row, and a bitwise check of
# the vectors. Run after `mvn install -DskipTests`. Output under target/spark-bench.
# Env: MODEL (default smollm2-135m), LIMIT (first N sentences; default all), SENTEMB_JAVA_OPTS (e.g. -XX:UseAVX=2),
# PARTITIONS (e.g. "1 3 17": local[2] once per count instead of Spark's own count, each checked bitwise),
# CLUSTER=0 (skip the standalone cluster).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
model="${MODEL:-smollm2-135m}"
out="target/spark-bench"
rm -rf "$out" && mkdir -p "$out"
data="../shared/data/senteval"
# The sentences: columns 6-7 of STS-B's csv files, 2-3 of SICK's, distinct, in file order.
{ for s in train dev test; do awk -F'\t' 'NF >= 7 {print $6; print $7}' "$data/STS/STSBenchmark/sts-$s.csv"; done
  for f in SICK_train.txt SICK_trial.txt SICK_test_annotated.txt; do awk -F'\t' 'NR > 1 && NF >= 3 {print $2; print $3}' "$data/SICK/$f"; done
} | awk 'NF > 0 && !seen[$0]++' > "$out/all.txt"
if [ -n "${LIMIT:-}" ]; then head -n "$LIMIT" "$out/all.txt" > "$out/sentences.txt"; else cp "$out/all.txt" "$out/sentences.txt"; fi
n=$(wc -l < "$out/sentences.txt")
echo "spark-bench: $n sentences, model $model, SENTEMB_JAVA_OPTS='${SENTEMB_JAVA_OPTS:-}'"
secs() { date +%s.%N; }
t0=$(secs); bin/sentemb embed --model "$model" --input "$out/sentences.txt" --output "$out/library.jsonl" > "$out/embed.log" 2>&1; t1=$(secs)
lib=$(echo "$t1 - $t0" | bc)
local=0
if [ -z "${PARTITIONS:-}" ]; then
t0=$(secs); bin/sentemb spark-embed --model "$model" --master 'local[2]' --input "$out/sentences.txt" --output "$out/local" \
  --output-format jsonl > "$out/spark-local.log" 2>&1; t1=$(secs)
local=$(echo "$t1 - $t0" | bc)
java -cp 'sentemb-cli/target/lib/*' scripts/spark/CompareEmbeddings.java "$out/library.jsonl" "$out/local" | tee "$out/compare-local.txt"
fi
# The same job with a fixed number of ranges: the vectors must not depend on how the input is cut.
for p in ${PARTITIONS:-}; do
  t0=$(secs); bin/sentemb spark-embed --model "$model" --master 'local[2]' --partitions "$p" --input "$out/sentences.txt" \
    --output "$out/local-p$p" --output-format jsonl > "$out/spark-local-p$p.log" 2>&1; t1=$(secs)
  printf 'spark-embed local[2] --partitions %s: %.1f s\n' "$p" "$(echo "$t1 - $t0" | bc)" >> "$out/partitions.txt"
  { echo -n "partitions $p: "; java -cp 'sentemb-cli/target/lib/*' scripts/spark/CompareEmbeddings.java "$out/library.jsonl" "$out/local-p$p"; } \
    | tee -a "$out/partitions.txt"
done

export SPARK_HOME="$PWD/sentemb-spark/target/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
opts="$(cat "$SPARK_HOME/module-options.txt")"
cluster=0
if [ "${CLUSTER:-1}" != 0 ]; then
# A standalone cluster on loopback: one master, two workers of one core each, every one a JVM of its own.
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
java $opts -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 7177 --webui-port 0 \
  > "$out/master.log" 2>&1 & pids+=($!)
for w in 1 2; do
  java $opts -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 --memory 2g \
    --webui-port 0 --work-dir "$PWD/$out/worker$w" spark://127.0.0.1:7177 > "$out/worker$w.log" 2>&1 & pids+=($!)
done
for i in $(seq 60); do
  [ "$(grep -l "Successfully registered with master" "$out"/worker*.log 2>/dev/null | wc -l)" = 2 ] && break; sleep 1
done
# The executors are the workers' JVMs: SENTEMB_JAVA_OPTS (e.g. -XX:UseAVX=2) must reach them too.
t0=$(secs); bin/sentemb spark-embed --model "$model" --master spark://127.0.0.1:7177 --conf spark.executor.cores=1 \
  ${SENTEMB_JAVA_OPTS:+--conf "spark.executor.extraJavaOptions=$SENTEMB_JAVA_OPTS"} \
  --conf spark.executor.memory=1g --input "$PWD/$out/sentences.txt" --output "$PWD/$out/cluster" --output-format jsonl \
  > "$out/spark-cluster.log" 2>&1; t1=$(secs)
cluster=$(echo "$t1 - $t0" | bc)
java -cp 'sentemb-cli/target/lib/*' scripts/spark/CompareEmbeddings.java "$out/library.jsonl" "$out/cluster" | tee "$out/compare-cluster.txt"
kill "${pids[@]}" 2>/dev/null || true
fi

# Time to first row: one sentence, the whole process (JVM, Spark, model, one row, write).
head -n 1 "$out/sentences.txt" > "$out/one.txt"
t0=$(secs); bin/sentemb spark-embed --model "$model" --master 'local[2]' --input "$out/one.txt" --output "$out/one" > "$out/one.log" 2>&1; t1=$(secs)
first=$(echo "$t1 - $t0" | bc)
t0=$(secs); bin/sentemb embed --model "$model" --input "$out/one.txt" --output "$out/one.jsonl" > /dev/null 2>&1; t1=$(secs)
firstlib=$(echo "$t1 - $t0" | bc)
# The same through Spark's own submit path (what spark-submit runs) with the job jar as the application.
jobjar=$(ls sentemb-spark/target/sentemb-spark-*-job.jar)
t0=$(secs); java $opts ${SENTEMB_JAVA_OPTS:-} -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit --master 'local[2]' \
  --class dev.sentemb.spark.SparkEmbedMain "$jobjar" --model "$model" --input "$out/one.txt" --output "$out/one-submit" \
  > "$out/one-submit.log" 2>&1; t1=$(secs)
firstsubmit=$(echo "$t1 - $t0" | bc)
{
  echo "sentences: $n; model: $model; SENTEMB_JAVA_OPTS='${SENTEMB_JAVA_OPTS:-}'; $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
  printf 'sentemb embed:              %8.1f s  %6.1f rows/s (whole process)\n' "$lib" "$(echo "$n / $lib" | bc -l)"
  [ "$local" = 0 ] || printf 'spark-embed local[2]:       %8.1f s  %6.1f rows/s (whole process; %.2fx embed)\n' "$local" "$(echo "$n / $local" | bc -l)" "$(echo "$lib / $local" | bc -l)"
  [ "$cluster" = 0 ] || printf 'spark-embed 2-worker cluster:%7.1f s  %6.1f rows/s (whole process; %.2fx embed)\n' "$cluster" "$(echo "$n / $cluster" | bc -l)" "$(echo "$lib / $cluster" | bc -l)"
  printf 'time to first row: spark-embed %.1f s, spark-submit of the job jar %.1f s, sentemb embed %.1f s\n' "$first" "$firstsubmit" "$firstlib"
  grep -h "rows in" "$out"/spark-*.log 2>/dev/null | sed "s/^/job summary: /" || true
  cat "$out/compare-local.txt" "$out/compare-cluster.txt" "$out/partitions.txt" 2>/dev/null || true
} | tee "$out/summary.txt"
