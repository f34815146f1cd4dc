"""Save the real GGUF models as Hugging Face directories and embed with transformers on them (issue 7).

transformers loads each GGUF (dequantized to fp32) and saves it as config.json + model.safetensors
(fp32) + tokenizer.json under ~/.cache/sentemb-oracle/hf/<model>/ (never committed: ~540 MB for
smollm2). It then reloads the directory, as a user with HF files would, and writes hf.last.npy:
the PromptEOL embeddings of the first N plain prompts of the committed oracle fixture, for a by-hand
comparison with `sentemb embed --model <dir>` and with the GGUF run.

Run: ~/.cache/sentemb-oracle/venv/bin/python hf_real_dirs.py --model smollm2-135m [--n 20]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

import common as C

OUT = Path.home() / ".cache" / "sentemb-oracle" / "hf"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="smollm2-135m")
    ap.add_argument("--n", type=int, default=20)
    args = ap.parse_args()
    torch.set_num_threads(1)
    path = C.model_path(args.model)
    out = OUT / args.model
    out.mkdir(parents=True, exist_ok=True)
    tok = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
    model = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name, dtype=torch.float32)
    # save_pretrained refuses a GGUF-loaded model while it still carries its quantizer.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.save_pretrained(str(out))
    tok.save_pretrained(str(out))
    del model

    tok = AutoTokenizer.from_pretrained(str(out))
    model = AutoModelForCausalLM.from_pretrained(str(out), dtype=torch.float32).eval()
    rows = C.read_jsonl(C.FIXTURE_ROOT / args.model / "plain.jsonl")[: args.n]
    last = []
    with torch.no_grad():
        for r in rows:
            ids = tok(r["prompt"])["input_ids"]
            assert ids == r["ids"], f"tokenizer.json ids differ from the GGUF tokenizer's for {r['prompt']!r}"
            h = model(input_ids=torch.tensor([ids]), output_hidden_states=True).hidden_states[-1][0, -1]
            last.append(h.float().numpy())
    C.save_npy(out / "hf.last.npy", np.stack(last).astype(np.float32))
    C.write_jsonl(out / "hf.prompts.jsonl", [{"text": r["text"], "prompt": r["prompt"]} for r in rows])
    ref = np.load(C.FIXTURE_ROOT / args.model / "plain.hf.last.npy")[: args.n]
    cos = C.cosine_rows(np.stack(last), ref)
    print(json.dumps({"dir": str(out), "min_cos_vs_gguf_fixture": float(np.min(cos))}))


if __name__ == "__main__":
    main()
