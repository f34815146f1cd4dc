#!/usr/bin/env bash
# Looks at the machine code C2 made of each matmul register tile and counts, in its innermost loop, the
# fused multiply-adds, broadcasts and vector spills/reloads (moves between a ymm/zmm register and the stack).
#   scripts/check-spills.sh                          # this JVM's vector width, every tile
#   JAVA_TOOL_OPTIONS=-XX:UseAVX=2 scripts/check-spills.sh   # as an AVX2 machine (16 registers)
# Needs objdump (binutils). No hsdis is needed: HotSpot prints a method's bytes in hex without one, and
# objdump disassembles them. Runs the JMH matmul benchmark briefly per tile (build first: mvn install -DskipTests).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for tile in 4x2 4x3 6x2 6x3 8x2; do
  JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:-} -Dsentemb.kernel.tile=$tile -XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=print,dev.sentemb.kernel.MicroKernels::tile$tile" \
    bash "$root/scripts/bench-kernels.sh" -f 1 -wi 1 -w 1s -i 1 -r 1s -p tensor=attn_q "MatmulBench.sentembStored" >"$tmp/log" 2>&1 || true
  # the last (non-OSR) C2 compilation of the tile: its hex bytes from the verified entry point to the stubs
  awk -v m="MicroKernels::tile$tile " '
    /^Compiled method \(c2\)/ { inm = index($0, m) > 0 && index($0, " % ") == 0; if (inm) { buf = ""; code = 0 } next }
    inm && /\[Verified Entry Point\]/ { code = 1; next }
    inm && code && /^\[(Exception Handler|Stub Code)\]/ { code = 0; last = buf; next }
    inm && code && /^ +0x[0-9a-f]+: [0-9a-f| ]+$/ { sub(/^ +0x[0-9a-f]+: /, ""); gsub(/[| ]/, ""); buf = buf $0 }
    END { printf "%s", last }' "$tmp/log" | xxd -r -p >"$tmp/code.bin"
  if [ ! -s "$tmp/code.bin" ]; then echo "tile $tile: no C2 code found (see the JMH run)"; continue; fi
  objdump -D -b binary -m i386:x86-64 -M intel "$tmp/code.bin" | awk -F'\t' 'function hex(h, v, i) { v = 0; h = tolower(h); sub(/^0x/, "", h); for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1; return v }
    /^ +[0-9a-f]+:\t/ { a = $1; gsub(/[ :]/, "", a); print hex(a) "\t" $3 }' >"$tmp/asm"
  # innermost hot loop: the backward jump whose range has the highest share of FMAs
  awk -F'\t' -v tile="$tile" '
    function hex(h, v, i) { v = 0; h = tolower(h); sub(/^0x/, "", h); for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1; return v }
    { addr[NR] = $1; ins[NR] = $2; n = NR }
    END {
      best = 0
      for (i = 1; i <= n; i++) if (match(ins[i], /^j[a-z]+ +0x[0-9a-f]+/)) {
        split(ins[i], p, " "); t = hex(p[2]); if (t >= addr[i]) continue
        f = 0; c = 0; b = 0; s = 0
        for (j = 1; j <= i; j++) if (addr[j] >= t) { c++; if (ins[j] ~ /vfmadd/) f++; if (ins[j] ~ /vbroadcastss/) b++; if (ins[j] ~ /[yz]mm/ && ins[j] ~ /rsp/) s++ }
        if (f > 0 && f / c > best) { best = f / c; bc = c; bf = f; bb = b; bs = s }
      }
      printf "tile %s: innermost loop %d instructions, %d vfmadd, %d vbroadcastss, %d vector spills/reloads\n", tile, bc, bf, bb, bs
    }' "$tmp/asm"
done
