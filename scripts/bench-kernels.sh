#!/usr/bin/env bash
# JMH benchmarks of the matmul kernel on real model shapes, beside OpenBLAS sgemm in the same run.
#   scripts/bench-kernels.sh [JMH options, e.g. -p tokens=512 -p threads=1,2 -f 1 -wi 3 -i 5]
# Prints GFLOP/s, the fraction of the fp32 FMA peak and the ratio to OpenBLAS (needs libopenblas0-pthread
# for the OpenBLAS rows). Build first: mvn -B -ntp install -DskipTests. The default build never runs these.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/jdk.sh"
cp="$root/sentemb-bench/target/sentemb-bench-0.1.0-SNAPSHOT.jar:$root/sentemb-bench/target/lib/*"
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(-f 1 -wi 3 -w 2s -i 5 -r 2s)
exec java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$cp" \
  -Djmh.ignoreLock=true dev.sentemb.bench.KernelReport \
  -jvmArgsAppend "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED" "${args[@]}"
