"""llama.cpp (llama-cpp-python) embeddings for the same oracle prompts.

Reads the prompts from <model>/plain.jsonl and icl.jsonl (written by hidden_fixtures.py), embeds
each prompt ALONE with pooling LAST (unnormalized) and writes:

  plain.llamacpp.jsonl, icl.llamacpp.jsonl   {"text", "prompt", "ids"} with llama.cpp's ids
  plain.llamacpp.last.npy, icl.llamacpp.last.npy   float32 [200, d]

Token ids are taken with Llama.tokenize(prompt_bytes) with its defaults (add_bos=True, i.e.
llama_tokenize(add_special=True, parse_special=False): BOS only if the GGUF asks for it), exactly
what Llama.embed() uses internally.

Usage: python llamacpp_fixtures.py --model smollm2-135m [--threads 2]
"""
from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import llama_cpp
from llama_cpp import Llama

import common as C


def open_llama(path, threads: int, n_ctx: int = 512, n_batch: int = 512) -> Llama:
    return Llama(
        model_path=str(path),
        embedding=True,
        pooling_type=llama_cpp.LLAMA_POOLING_TYPE_LAST,
        n_ctx=n_ctx,
        n_batch=n_batch,
        n_threads=threads,
        n_threads_batch=threads,
        verbose=False,
    )


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, choices=C.MODELS)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sets", default="plain,icl", help="comma-separated prompt sets to run (default: plain,icl)")
    args = ap.parse_args(argv)

    path = C.model_path(args.model)
    out_dir = C.fixture_dir(args.model)
    t0 = time.time()
    llm = open_llama(path, args.threads)
    print(f"loaded {path} in {time.time() - t0:.1f}s", file=sys.stderr)
    d = llm.n_embd()

    summary = {}
    for kind in args.sets.split(","):
        hf_rows = C.read_jsonl(out_dir / f"{kind}.jsonl")
        rows, embs = [], []
        for r in hf_rows:
            prompt = r["prompt"]
            ids = llm.tokenize(prompt.encode("utf-8"))  # same call embed() makes
            emb, n = llm.embed(prompt, normalize=False, truncate=False, return_count=True)
            assert n == len(ids)
            embs.append(np.asarray(emb, dtype=np.float32))
            rows.append({"text": r["text"], "prompt": prompt, "ids": [int(x) for x in ids]})
        E = np.stack(embs)
        C.write_jsonl(out_dir / f"{kind}.llamacpp.jsonl", rows)
        C.save_npy(out_dir / f"{kind}.llamacpp.last.npy", E)

        same = np.array([a["ids"] == b["ids"] for a, b in zip(rows, hf_rows)])
        hf = np.load(out_dir / f"{kind}.hf.last.npy")
        cos = C.cosine_rows(E, hf)
        ratio = np.linalg.norm(E, axis=1) / np.linalg.norm(hf, axis=1)
        s = {
            "prompts": len(rows),
            "ids_differ_from_hf": int((~same).sum()),
            "ids_differ_indices": [int(i) for i in np.nonzero(~same)[0]],
            "cos_vs_hf_where_ids_equal_min": float(cos[same].min()) if same.any() else None,
            "cos_vs_hf_where_ids_equal_mean": float(cos[same].mean()) if same.any() else None,
            "cos_vs_hf_all_min": float(cos.min()),
            "norm_ratio_llamacpp_over_hf_mean": float(ratio[same].mean()) if same.any() else None,
        }
        summary[kind] = s
        print(kind, s, file=sys.stderr)

    probe = llm.tokenize(b"hello world")
    C.update_meta(out_dir, {
        "llamacpp": {
            "date": C.today(),
            "llama_cpp_python": llama_cpp.__version__,
            "system_info": llama_cpp.llama_print_system_info().decode(errors="replace").strip(),
            "settings": "Llama(model_path, embedding=True, pooling_type=LLAMA_POOLING_TYPE_LAST, n_ctx=512, n_batch=512, "
                        f"n_threads={args.threads}); embed(prompt, normalize=False), one prompt per call",
            "tokenize": "Llama.tokenize(prompt.encode('utf-8')) defaults: add_bos=True -> llama_tokenize(add_special=True, "
                        "parse_special=False); BOS is added only if the GGUF's add_bos_token says so",
            "probe_ids_hello_world": probe,
            "bos_added": bool(probe[:1] == [llm.token_bos()]),
            "pooling_last_returns": "the row of the final-norm output (graph tensor 'result_norm', res->t_embd, after "
                                    "model.output_norm RMSNorm) at the sequence's last position; not normalized",
            "summary": summary,
        },
        "files": {
            "plain.llamacpp.jsonl": "text, prompt, ids as llama.cpp tokenizes them (compare embeddings only where ids equal plain.jsonl)",
            "icl.llamacpp.jsonl": "same for the ICL prompts",
            "plain.llamacpp.last.npy": f"float32 [{len(rows)}, {d}] llama.cpp pooling LAST embedding, unnormalized, prompt alone",
            "icl.llamacpp.last.npy": f"float32 [{len(rows)}, {d}] same for the ICL prompts",
        },
    })
    print(f"done in {time.time() - t0:.0f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
