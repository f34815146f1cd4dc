#!/usr/bin/env python3
"""Reference data for sentemb's GGUF reader and block decoders (dev.sentemb.weights).

Writes, under sentemb-core/src/test/resources/weights/:
  gguf-expected.json   what gguf.GGUFReader sees in the real model files: version, alignment,
                       data offset, every metadata key (type, scalar value or array length, first
                       and last elements and a SHA-256 of the whole array), every tensor (name,
                       ggml type id, dims in ggml order, absolute data offset)
  dequant.json         index of the decoding cases below
  dequant/<case>.bin   raw ggml blocks
  dequant/<case>.f32   the floats gguf.quants.dequantize returns for them (little-endian fp32)

Real blocks come from rows of the real models (Q4_1, Q8_0 from smollm2; Q4_K, Q6_K, Q5_0, Q8_0,
F32 from qwen2.5-coder-0.5b); types absent there use seeded random blocks whose fp16 scales are
finite and of sane size. Q8_K has no numpy decoder in gguf-py, so its expected values are computed
here from ggml's definition (y = d * q in float32).

Run with the oracle venv: /root/.cache/sentemb-oracle/venv/bin/python tools/oracle/quant_fixtures.py
Needs ~/.cache/sentemb/models/{smollm2-135m,qwen2.5-coder-0.5b}.gguf (bin/sentemb fetch).
"""
import hashlib
import json
import os
import struct
import sys
from pathlib import Path

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T, GGUFValueType as V
from gguf.quants import dequantize

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "sentemb-core/src/test/resources/weights"
MODELS = Path(os.environ.get("SENTEMB_HOME", Path.home() / ".cache/sentemb")) / "models"
REAL = {"smollm2-135m": MODELS / "smollm2-135m.gguf", "qwen2.5-coder-0.5b": MODELS / "qwen2.5-coder-0.5b.gguf"}


def sha_strings(items):
    h = hashlib.sha256()
    for s in items:
        b = s.encode("utf-8")
        h.update(struct.pack("<I", len(b)))
        h.update(b)
    return h.hexdigest()


def text(raw):
    # the Java reader decodes with malformed input replaced by U+FFFD; so do we
    return bytes(raw).decode("utf-8", errors="replace")


def describe_field(f):
    t = V(f.types[0])
    if t == V.ARRAY:
        et = V(f.types[1]) if len(f.types) > 1 else V.UINT8
        out = {"type": "ARRAY", "elementType": et.name, "length": len(f.data)}
        if et == V.STRING:
            vals = [text(f.parts[i]) for i in f.data]
            out["sha256"] = sha_strings(vals)
        elif et == V.ARRAY:
            return out  # nested arrays do not occur in these files
        else:
            vals = [f.parts[i][0].item() for i in f.data]
            if et in (V.FLOAT32, V.FLOAT64):
                arr = np.array(vals, dtype=np.float32 if et == V.FLOAT32 else np.float64)
                out["sha256"] = hashlib.sha256(arr.astype("<f4" if et == V.FLOAT32 else "<f8").tobytes()).hexdigest()
            elif et == V.BOOL:
                out["sha256"] = hashlib.sha256(bytes(1 if v else 0 for v in vals)).hexdigest()
            else:
                out["sha256"] = hashlib.sha256(np.array(vals, dtype=np.int64).astype("<i8").tobytes()).hexdigest()
        out["first"] = vals[:3]
        out["last"] = vals[-3:]
        return out
    if t == V.STRING:
        return {"type": "STRING", "value": text(f.parts[f.data[0]])}
    v = f.parts[f.data[0]][0]
    if t in (V.FLOAT32, V.FLOAT64):
        return {"type": t.name, "value": float(v)}
    if t == V.BOOL:
        return {"type": t.name, "value": bool(v)}
    return {"type": t.name, "value": int(v)}


def describe_file(name, path):
    r = gguf.GGUFReader(path)
    kv = {}
    for k, f in r.fields.items():
        if k.startswith("GGUF."):
            continue
        kv[k] = describe_field(f)
    tensors = [{"name": t.name, "type": int(t.tensor_type), "typeName": t.tensor_type.name,
                "dims": [int(x) for x in t.shape], "offset": int(t.data_offset), "bytes": int(t.n_bytes)}
               for t in r.tensors]
    return {"file": name, "size": path.stat().st_size,
            "version": int(r.fields["GGUF.version"].parts[-1][0]),
            "alignment": int(r.alignment), "dataOffset": int(r.data_offset),
            "kvCount": len(kv), "metadata": kv, "tensors": tensors}, r


def rows_of(reader, tensor_name, rows):
    t = next(t for t in reader.tensors if t.name == tensor_name)
    raw = np.asarray(t.data).view(np.uint8)
    n_rows = int(np.prod([int(x) for x in t.shape[1:]])) if len(t.shape) > 1 else 1
    raw = raw.reshape(n_rows, -1)
    return t, raw[rows].reshape(-1)


def sane_half(rng, n, lo=1e-3, hi=2.0):
    mag = np.exp(rng.uniform(np.log(lo), np.log(hi), n))
    sign = rng.choice([-1.0, 1.0], n)
    return (mag * sign).astype(np.float16)


def synthetic(qtype, n_blocks, rng):
    bs, ts = gguf.GGML_QUANT_SIZES[qtype]
    blocks = rng.integers(0, 256, size=(n_blocks, ts), dtype=np.uint8)
    # fp16 scale fields by type: byte offsets of each ggml_half in the block
    half_at = {T.Q4_0: [0], T.Q4_1: [0, 2], T.Q5_0: [0], T.Q5_1: [0, 2], T.Q8_0: [0],
               T.Q2_K: [80, 82], T.Q3_K: [108], T.Q4_K: [0, 2], T.Q5_K: [0, 2], T.Q6_K: [208]}.get(qtype, [])
    for at in half_at:
        blocks[:, at:at + 2] = sane_half(rng, n_blocks).view(np.uint8).reshape(n_blocks, 2)
    return blocks.reshape(-1)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "dequant").mkdir(exist_ok=True)
    files, readers = [], {}
    for name, path in REAL.items():
        if not path.is_file():
            sys.exit(f"missing {path}: run bin/sentemb fetch {name}")
        d, r = describe_file(name, path)
        files.append(d)
        readers[name] = r
    (OUT / "gguf-expected.json").write_text(json.dumps({"files": files, "quantSizes": {
        t.name: list(gguf.GGML_QUANT_SIZES[t]) for t in T if t in gguf.GGML_QUANT_SIZES}}, indent=1, ensure_ascii=False))

    cases = []

    def add(case, qtype, raw, expected, source):
        raw = np.ascontiguousarray(raw, dtype=np.uint8)
        expected = np.ascontiguousarray(expected, dtype=np.float32).reshape(-1)
        (OUT / "dequant" / f"{case}.bin").write_bytes(raw.tobytes())
        (OUT / "dequant" / f"{case}.f32").write_bytes(expected.astype("<f4").tobytes())
        cases.append({"case": case, "type": qtype.name, "elements": int(expected.size), "source": source})

    real = [("smollm2-135m", "token_embd.weight", [0, 1, 49151]),          # Q8_0
            ("smollm2-135m", "blk.0.attn_q.weight", [0, 287, 575]),         # Q4_1
            ("smollm2-135m", "blk.29.ffn_down.weight", [3]),                 # Q4_1, 1536 cols
            ("qwen2.5-coder-0.5b", "blk.0.ffn_down.weight", [0, 895]),      # Q6_K, 4864 cols
            ("qwen2.5-coder-0.5b", "blk.0.attn_q.weight", [0, 100, 895]),   # Q5_0
            ("qwen2.5-coder-0.5b", "output.weight", [0, 151935]),           # Q8_0
            ("qwen2.5-coder-0.5b", "blk.0.attn_norm.weight", [0])]          # F32
    q4k = next(t.name for t in readers["qwen2.5-coder-0.5b"].tensors if t.tensor_type == T.Q4_K)
    real.append(("qwen2.5-coder-0.5b", q4k, [0, 1]))
    for model, tname, rows in real:
        t, raw = rows_of(readers[model], tname, rows)
        exp = dequantize(raw, t.tensor_type)
        add(f"real-{model}-{tname}-{t.tensor_type.name}", t.tensor_type, raw, exp,
            {"model": model, "tensor": tname, "rows": rows})

    rng = np.random.default_rng(20240611)
    for qtype, n in [(T.Q4_0, 48), (T.Q4_1, 16), (T.Q5_0, 16), (T.Q5_1, 48), (T.Q8_0, 16),
                     (T.Q2_K, 12), (T.Q3_K, 12), (T.Q4_K, 8), (T.Q5_K, 12), (T.Q6_K, 8)]:
        raw = synthetic(qtype, n, rng)
        add(f"synthetic-{qtype.name}", qtype, raw, dequantize(raw, qtype), {"seed": 20240611, "blocks": n})
    # F16 and BF16: every bit pattern class (normals, subnormals, zeros, inf, NaN) via random bits
    for qtype in (T.F16, T.BF16):
        bits = rng.integers(0, 1 << 16, size=2048, dtype=np.uint16)
        bits[:8] = [0x0000, 0x8000, 0x0001, 0x83ff, 0x7c00, 0xfc00, 0x7e00, 0x3c00] if qtype == T.F16 else \
                   [0x0000, 0x8000, 0x0001, 0x807f, 0x7f80, 0xff80, 0x7fc0, 0x3f80]
        raw = bits.astype("<u2").view(np.uint8)
        add(f"synthetic-{qtype.name}", qtype, raw, dequantize(raw, qtype), {"seed": 20240611, "elements": 2048})
    f32 = (rng.standard_normal(512) * 10).astype("<f4")
    add("synthetic-F32", T.F32, f32.view(np.uint8), dequantize(f32.view(np.uint8), T.F32), {"seed": 20240611})
    # Q8_K: float32 d, int8 qs[256], int16 bsums[16]; y = d * q (ggml's dequantize_row_q8_K)
    nb = 6
    q8k = rng.integers(0, 256, size=(nb, 292), dtype=np.uint8)
    d = (rng.uniform(1e-3, 1.0, nb) * rng.choice([-1, 1], nb)).astype("<f4")
    q8k[:, 0:4] = d.view(np.uint8).reshape(nb, 4)
    exp = (d.reshape(nb, 1) * q8k[:, 4:260].view(np.int8).astype(np.float32)).astype(np.float32)
    add("synthetic-Q8_K", T.Q8_K, q8k.reshape(-1), exp, {"seed": 20240611, "blocks": nb, "oracle": "numpy d*q"})

    (OUT / "dequant.json").write_text(json.dumps({"cases": cases}, indent=1))
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"wrote {len(cases)} dequant cases, {total} bytes under {OUT}")


if __name__ == "__main__":
    main()
