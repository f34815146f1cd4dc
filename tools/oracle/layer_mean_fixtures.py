"""Reference embeddings for a mean over layers: PromptEOL's prompt, the last token's hidden_states[a..b] (both included;
Hugging Face's indices, hidden_states[-1] the final norm's output) averaged, in HF transformers. Each prompt runs alone.

Ranges: tiny llama (2 blocks) 0:2 (the embeddings through the final output); smollm2-135m (30 blocks) 20:30 and
-8:-2 (= 23:29, the final norm's output left out).

Writes sentemb-core/src/test/resources/oracle/strategies/<model>/layers-<a>_<b>.jsonl ({"text","prompt","ids"}) and
layers-<a>_<b>.last.npy (float32 [50, d]); adds "layer_mean" to strategies/meta.json.

Usage: python layer_mean_fixtures.py [--threads 2]
"""
from __future__ import annotations

import argparse
import json
import sys

import numpy as np
import torch

import common as C

PLAIN = 'This sentence : "*sent 0*" means in one word:"'


def run(tok, model, sentences, ranges, out_dir):
    meta = {}
    for a, b in ranges:
        rows, vecs = [], []
        for s in sentences:
            prompt = PLAIN.replace("*sent 0*", C.clean_sentence(s)).strip()
            ids = tok(prompt)["input_ids"]
            with torch.no_grad():
                hs = model(input_ids=torch.tensor([ids]), output_hidden_states=True).hidden_states
            n = len(hs)
            lo, hi = a % n, b % n
            vecs.append(torch.stack([hs[i][0, -1] for i in range(lo, hi + 1)]).mean(0).float().numpy())
            rows.append({"text": s, "prompt": prompt, "ids": ids})
        key = f"layers-{a}_{b}"
        C.write_jsonl(out_dir / f"{key}.jsonl", rows)
        C.save_npy(out_dir / f"{key}.last.npy", np.stack(vecs).astype(np.float32))
        meta[key] = {"from": a, "to": b, "hidden_states": n, "sentences": len(rows)}
    return meta


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    sentences = C.fixture_sentences()[:50]
    root = C.FIXTURE_ROOT / "strategies"
    tok, model = C.tiny_llama()
    got = {"llama": run(tok, model, sentences, [(0, 2)], root / "llama")}
    tok, model = C.gguf_model("smollm2-135m")
    got["smollm2-135m"] = run(tok, model, sentences, [(20, 30), (-8, -2)], root / "smollm2-135m")
    C.strategy_meta_update("layer_mean", got, "tools/oracle/layer_mean_fixtures.py")
    print(json.dumps(got, indent=2))

if __name__ == "__main__":
    sys.exit(main())
