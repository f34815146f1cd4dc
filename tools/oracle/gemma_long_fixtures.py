"""Long-prompt oracle for gemma3-270m: prompts longer than its 512-token sliding window.

Gemma 3 alternates local layers (each token sees the 512 tokens up to itself) with global ones
(every 6th layer); short prompts never reach the window, so the 200-sentence fixtures cannot tell a
correct local mask from none. The "sentence" here is distinct STS-B test sentences joined with one
space until the plain PromptEOL prompt reaches a target length (about 700 and 1300 tokens).

Writes into sentemb-core/src/test/resources/oracle/gemma3-270m/:
  long.jsonl              {"text", "prompt", "ids", "positions"}; positions: rows kept in long.hf.rows.npy
  long.hf.last.npy        float32 [2, d]  HF hidden_states[-1] at the last token (after the final norm)
  long.hf.rows.npy        float32 [2*P, d] the same at the P positions of each prompt (prompt-major)
  long.llamacpp.jsonl     the same prompts with llama.cpp's ids
  long.llamacpp.last.npy  float32 [2, d]  llama.cpp pooling LAST

Usage: python gemma_long_fixtures.py [--threads 2]
"""
from __future__ import annotations

import argparse
import sys

import numpy as np
import torch

import common as C
import hidden_fixtures as H

MODEL = "gemma3-270m"
TARGETS = (700, 1300)


def long_text(tok, target: int) -> str:
    words = []
    for s in C.stsb_sentences("test"):
        words.append(s)
        if len(tok(C.render(C.PLAIN_TEMPLATE, " ".join(words)))["input_ids"]) >= target:
            return " ".join(words)
    raise SystemExit(f"STS-B test is too short for {target} tokens")


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    path, tok, model = H.load(MODEL)
    out_dir = C.fixture_dir(MODEL)
    window = int(model.config.sliding_window)

    rows, last, kept = [], [], []
    for target in TARGETS:
        text = long_text(tok, target)
        prompt = C.render(C.PLAIN_TEMPLATE, text)
        ids = tok(prompt)["input_ids"]
        n = len(ids)
        positions = sorted({0, 1, window - 2, window - 1, window, window + 1, n // 2, n - 2, n - 1})
        with torch.no_grad():
            hs = model.model(input_ids=torch.tensor([ids]), output_hidden_states=True).hidden_states[-1][0]
        last.append(hs[-1].numpy())
        kept.extend(hs[p].numpy() for p in positions)
        rows.append({"text": text, "prompt": prompt, "ids": [int(x) for x in ids], "positions": positions})
        print(f"{n} tokens, positions {positions}", file=sys.stderr)
    C.write_jsonl(out_dir / "long.jsonl", rows)
    C.save_npy(out_dir / "long.hf.last.npy", np.stack(last))
    C.save_npy(out_dir / "long.hf.rows.npy", np.stack(kept))

    import llamacpp_fixtures as L

    llm = L.open_llama(path, args.threads, n_ctx=2048, n_batch=2048)
    lc_rows, lc_last = [], []
    for r in rows:
        ids = llm.tokenize(r["prompt"].encode("utf-8"))
        lc_last.append(np.asarray(llm.embed(r["prompt"], normalize=False, truncate=False), dtype=np.float32).reshape(-1))
        lc_rows.append({"text": r["text"], "prompt": r["prompt"], "ids": [int(x) for x in ids]})
        print(f"llama.cpp: {len(ids)} tokens, ids equal HF: {ids == r['ids']}", file=sys.stderr)
    C.write_jsonl(out_dir / "long.llamacpp.jsonl", lc_rows)
    C.save_npy(out_dir / "long.llamacpp.last.npy", np.stack(lc_last))
    cos = [float(a @ b / np.linalg.norm(a) / np.linalg.norm(b)) for a, b in zip(last, lc_last)]
    C.update_meta(out_dir, {
        "long": {
            "sliding_window": window,
            "layer_types": list(model.config.layer_types),
            "query_pre_attn_scalar": model.config.query_pre_attn_scalar,
            "rope_parameters": model.config.rope_parameters,
            "token_counts": [len(r["ids"]) for r in rows],
            "cos_hf_vs_llamacpp_last": cos,
        },
        "files": {
            "long.jsonl": "prompts longer than the sliding window: text (distinct STS-B test sentences joined), prompt (plain template), ids (HF), positions (rows kept in long.hf.rows.npy)",
            "long.hf.last.npy": "float32 [2, d] HF hidden_states[-1] at the last token",
            "long.hf.rows.npy": "float32 [sum of len(positions), d] HF hidden_states[-1] at each prompt's positions, prompt-major",
            "long.llamacpp.jsonl": "the long prompts with llama.cpp's token ids",
            "long.llamacpp.last.npy": "float32 [2, d] llama.cpp pooling LAST, unnormalized",
        },
    })
    print("cos HF vs llama.cpp (last):", cos, file=sys.stderr)


if __name__ == "__main__":
    main()
