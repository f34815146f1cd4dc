"""Does PEFT load an adapter trained by `sentemb train` as sentemb runs it? (issue 16)

Loads the fp32 Hugging Face directory of the model (hf_real_dirs.py) as AutoModelForCausalLM, applies the
adapter with PeftModel.from_pretrained, embeds prompts (the final layer's last-token state, each prompt
alone) and compares them with sentemb's embeddings of the same sentences (`sentemb embed --model M
--adapter DIR --output FILE.jsonl`, given as --sentemb). Prints the minimum cosine.

Run: ~/.cache/sentemb-oracle/venv/bin/python peft_check.py --adapter DIR --sentemb emb.jsonl [--model-dir DIR]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import peft
import torch
import transformers

import common as C


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", default=str(Path.home() / ".cache/sentemb-oracle/hf/smollm2-135m"))
    ap.add_argument("--adapter", required=True)
    ap.add_argument("--sentemb", required=True)
    args = ap.parse_args()
    torch.set_num_threads(2)
    tok = transformers.AutoTokenizer.from_pretrained(args.model_dir)
    base = transformers.AutoModelForCausalLM.from_pretrained(args.model_dir, dtype=torch.float32)
    model = peft.PeftModel.from_pretrained(base, args.adapter)
    model.eval()
    rows = [json.loads(l) for l in open(args.sentemb, encoding="utf-8")]
    worst = 1.0
    with torch.no_grad():
        for r in rows:
            ids = tok(C.render(C.PLAIN_TEMPLATE, r["text"]), return_tensors="pt")["input_ids"]
            h = model(input_ids=ids, output_hidden_states=True).hidden_states[-1][0, -1].numpy()
            v = np.asarray(r["embedding"], dtype=np.float64)
            cos = float(h @ v / np.linalg.norm(h) / np.linalg.norm(v))
            worst = min(worst, cos)
    base_only = None
    with torch.no_grad(), model.disable_adapter():
        ids = tok(C.render(C.PLAIN_TEMPLATE, rows[0]["text"]), return_tensors="pt")["input_ids"]
        h = model(input_ids=ids, output_hidden_states=True).hidden_states[-1][0, -1].numpy()
        v = np.asarray(rows[0]["embedding"], dtype=np.float64)
        base_only = float(h @ v / np.linalg.norm(h) / np.linalg.norm(v))
    print(json.dumps({"sentences": len(rows), "min_cos_peft_vs_sentemb": worst,
                      "cos_without_adapter_first_sentence": base_only, "peft": peft.__version__}))


if __name__ == "__main__":
    main()
