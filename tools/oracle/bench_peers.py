"""Peer benchmark: HF transformers (reference batcher) and llama.cpp on the PromptEOL workload.

Workload: distinct STS-B test sentences (SentEval form, order of first appearance), first
--limit of them, rendered with the plain template (or the line-16 demonstration with --icl).

  hf        transformers fp32 (GGUF dequantized), the reference's batcher: batch 16, left padding
            with pad id 0, attention mask, hidden_states[-1][:, -1]; torch.set_num_threads(N)
  llamacpp  llama-cpp-python, embedding mode, pooling LAST, n_threads=N, n_ctx=n_batch=512;
            one embed() call per batch of 16 prompts (llama.cpp packs them as separate sequences)
  llamacpp1 same, one prompt per embed() call

Wall time (and the process's CPU time, all threads) is end to end (tokenization + forward + copying the embeddings out), model load
excluded, after a warm-up on a few sentences. Prints a summary per peer and appends one JSON line
per run to --out (default: stdout only).

Usage: python bench_peers.py --model smollm2-135m --threads 2 --limit 400 [--icl] [--peers hf,llamacpp]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

import numpy as np

import common as C

BATCH = 16


def bench_hf(path, prompts, threads, warmup):
    import torch
    import transformers
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.set_num_threads(threads)
    tok = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
    model = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name, dtype=torch.float32)
    model.eval()
    # the reference batcher: pad id 0, left padding
    tok.pad_token_id = 0
    tok.padding_side = "left"

    def run(batch_prompts):
        enc = tok(batch_prompts, return_tensors="pt", padding=True)
        with torch.no_grad():
            out = model(output_hidden_states=True, return_dict=True, **enc)
        emb = out.hidden_states[-1][:, -1, :].float().numpy()
        return emb, int(enc["attention_mask"].sum()), int(enc["input_ids"].numel())

    run(prompts[:warmup])
    c = time.process_time()
    t = time.perf_counter()
    real = padded = 0
    for i in range(0, len(prompts), BATCH):
        _, r, p = run(prompts[i:i + BATCH])
        real += r
        padded += p
    wall = time.perf_counter() - t
    return {"peer": "hf", "wall_s": wall, "cpu_s": time.process_time() - c, "tokens": real, "padded_tokens": padded,
            "versions": {"transformers": transformers.__version__, "torch": torch.__version__}}


def bench_llamacpp(path, prompts, threads, warmup, per_call=BATCH):
    import llama_cpp
    from llamacpp_fixtures import open_llama

    llm = open_llama(path, threads)
    llm.embed(prompts[:warmup], normalize=False)
    c = time.process_time()
    t = time.perf_counter()
    tokens = 0
    for i in range(0, len(prompts), per_call):
        _, n = llm.embed(prompts[i:i + per_call], normalize=False, return_count=True)
        tokens += n
    wall = time.perf_counter() - t
    return {"peer": "llamacpp" if per_call == BATCH else "llamacpp1", "wall_s": wall, "cpu_s": time.process_time() - c, "tokens": tokens,
            "prompts_per_embed_call": per_call, "versions": {"llama_cpp_python": llama_cpp.__version__}}


def bench_llamacpp1(path, prompts, threads, warmup):
    return bench_llamacpp(path, prompts, threads, warmup, per_call=1)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="smollm2-135m", choices=C.MODELS)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="first N distinct sentences (0 = all)")
    ap.add_argument("--icl", action="store_true")
    ap.add_argument("--peers", default="hf,llamacpp,llamacpp1")
    ap.add_argument("--warmup", type=int, default=4)
    ap.add_argument("--out", help="append the JSON result lines to this file")
    args = ap.parse_args(argv)

    path = C.model_path(args.model)
    sentences = C.stsb_sentences("test")
    if args.limit:
        sentences = sentences[:args.limit]
    template = C.template_for(args.icl)
    prompts = [C.render(template, s) for s in sentences]

    for peer in args.peers.split(","):
        fn = {"hf": bench_hf, "llamacpp": bench_llamacpp, "llamacpp1": bench_llamacpp1}[peer]
        r = fn(path, prompts, args.threads, args.warmup)
        r.update({
            "model": args.model, "icl": args.icl, "threads": args.threads, "sentences": len(prompts),
            "batch": BATCH, "sentences_per_s": len(prompts) / r["wall_s"], "tokens_per_s": r["tokens"] / r["wall_s"],
            "date": C.today(), "machine": f"{platform.machine()} {os.cpu_count()} cpus",
            "loadavg_at_end": os.getloadavg()[0],
        })
        print(f"{peer:9s} {args.model} {'icl' if args.icl else 'plain'} threads={args.threads}: "
              f"{len(prompts)} sentences in {r['wall_s']:.1f}s = {r['sentences_per_s']:.2f} sent/s, "
              f"{r['tokens_per_s']:.0f} tok/s ({r['tokens']} prompt tokens)", file=sys.stderr)
        line = json.dumps(r)
        print(line)
        if args.out:
            with open(args.out, "a", encoding="utf-8") as f:
                f.write(line + "\n")


if __name__ == "__main__":
    main()
