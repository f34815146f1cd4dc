#!/usr/bin/env bash
# JMH benchmarks of the kernels on real model shapes: the matmul beside OpenBLAS sgemm in the same run
# (MatmulBench: sentembStored decodes each panel from the file, sentembPacked runs the tiles alone on a weight
# packed beforehand, sentembF32 on an fp32 copy), the block decoders (DecodeBench), attention, RMSNorm and SwiGLU (OpsBench).
#   scripts/bench-kernels.sh [JMH options, e.g. -p tokens=512 -p threads=1,2 -f 1 -wi 3 -i 5] [benchmark regex]
# Prints GFLOP/s, the fraction of the fp32 FMA peak and the ratio to OpenBLAS (needs libopenblas0-pthread
# for the OpenBLAS rows), then ns per weight decoded and ns per token of the other kernels.
# As an AVX2 machine: JAVA_TOOL_OPTIONS=-XX:UseAVX=2 (reaches the forked JVMs too); a tile shape is forced
# with -Dsentemb.kernel.tile=6x2 the same way. Build first: mvn -B -ntp install -DskipTests. The default
# build never runs these.
#   scripts/bench-kernels.sh --paired [--models M,..] [--tensors attn_q,..] [--tokens 512] [--threads 2] [--pairs 200]
#     [--impl packed|stored|f32]: the matmul and OpenBLAS timed call by call, alternately, in one JVM (PairedMatmul),
#     reporting the median and quartiles of the pairs' ratios: the measure to trust on a host whose speed steps
#     within seconds, where JMH's forks time the two sides in different seconds.
# The report names the kernels OpenBLAS chose. Under -XX:UseAVX=2 OpenBLAS is held to its AVX2 (Haswell) kernels
# too, unless OPENBLAS_CORETYPE says otherwise. An OpenBLAS older than the CPU may choose a generic core (Debian 12's
# 0.3.21 calls a 5th-generation Xeon "Prescott", SSE3): then name the kernels, e.g. OPENBLAS_CORETYPE=SkylakeX.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/jdk.sh"
cp="$root/sentemb-bench/target/sentemb-bench-0.1.0-SNAPSHOT.jar:$root/sentemb-bench/target/lib/*"
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(-f 1 -wi 3 -w 2s -i 5 -r 2s)
if [[ "${JAVA_TOOL_OPTIONS:-}" == *UseAVX=2* && -z "${OPENBLAS_CORETYPE:-}" ]]; then
  export OPENBLAS_CORETYPE=Haswell
fi
if [ "${1:-}" = "--paired" ]; then
  shift
  # OpenBLAS's threads spin ~0.1 s after a call by default: in alternating calls they would take a core from ours
  export OPENBLAS_THREAD_TIMEOUT="${OPENBLAS_THREAD_TIMEOUT:-4}"
  exec java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$cp" dev.sentemb.bench.PairedMatmul "$@"
fi
exec java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$cp" \
  -Djmh.ignoreLock=true dev.sentemb.bench.KernelReport \
  -jvmArgsAppend "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED" "${args[@]}"
