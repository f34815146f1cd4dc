"""HF transformers reference embeddings for the 200 oracle sentences.

Loads the GGUF dequantized to fp32 with transformers, renders each sentence with the plain
template and with the line-16 demonstration, runs each prompt ALONE (no padding) and writes:

  plain.jsonl, icl.jsonl      {"text", "prompt", "ids"} per sentence (HF tokenizer, default special tokens)
  plain.hf.last.npy           float32 [200, d]  hidden_states[-1][0, -1]  (last token, after final norm)
  icl.hf.last.npy             float32 [200, d]  same for the ICL prompts
  plain.hf.mean.npy           float32 [200, d]  mean over the prompt's tokens of hidden_states[-1]
  meta.json                   provenance and checks

Usage: python hidden_fixtures.py --model smollm2-135m [--threads 2]
"""
from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import torch
import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer

import common as C


def load(name: str):
    path = C.model_path(name)
    tok = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
    model = AutoModelForCausalLM.from_pretrained(
        str(path.parent), gguf_file=path.name, dtype=torch.float32)
    model.eval()
    return path, tok, model


def final_norm_check(model, ids) -> dict:
    """Check hidden_states[-1] is post-final-norm: capture the last decoder layer's output with a
    hook and apply model.model.norm ourselves."""
    captured = {}

    def hook(_mod, _inp, out):
        captured["h"] = out[0] if isinstance(out, tuple) else out

    h = model.model.layers[-1].register_forward_hook(hook)
    try:
        with torch.no_grad():
            out = model(input_ids=torch.tensor([ids]), output_hidden_states=True)
    finally:
        h.remove()
    hs_last = out.hidden_states[-1][0]
    pre = captured["h"][0]
    with torch.no_grad():
        normed = model.model.norm(pre)
    return {
        "num_hidden_states": len(out.hidden_states),
        "num_layers": len(model.model.layers),
        "max_abs_diff_hidden_states_last_vs_norm_of_last_layer_output": float((hs_last - normed).abs().max()),
        "max_abs_diff_hidden_states_last_vs_last_layer_output_prenorm": float((hs_last - pre).abs().max()),
        "max_abs_hidden_states_last": float(hs_last.abs().max()),
    }


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, choices=C.MODELS)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)

    t0 = time.time()
    path, tok, model = load(args.model)
    print(f"loaded {path} in {time.time() - t0:.1f}s", file=sys.stderr)
    out_dir = C.fixture_dir(args.model)
    sentences = C.fixture_sentences()

    probe = tok("hello world")["input_ids"]
    bos_added = tok.bos_token_id is not None and probe[:1] == [tok.bos_token_id]

    results = {}
    for kind in ("plain", "icl"):
        template = C.template_for(kind == "icl")
        rows, last, mean = [], [], []
        for i, s in enumerate(sentences):
            prompt = C.render(template, s)
            ids = tok(prompt)["input_ids"]  # default special tokens
            with torch.no_grad():
                # the base model (no lm_head): same hidden_states, less work
                out = model.model(input_ids=torch.tensor([ids]), output_hidden_states=True)
            hs = out.hidden_states[-1][0]
            last.append(hs[-1].float().numpy())
            mean.append(hs.mean(0).float().numpy())
            rows.append({"text": s, "prompt": prompt, "ids": [int(x) for x in ids]})
            if i % 50 == 0:
                print(f"{kind} {i}/{len(sentences)} ({time.time() - t0:.0f}s)", file=sys.stderr)
        C.write_jsonl(out_dir / f"{kind}.jsonl", rows)
        C.save_npy(out_dir / f"{kind}.hf.last.npy", np.stack(last))
        if kind == "plain":
            C.save_npy(out_dir / "plain.hf.mean.npy", np.stack(mean))
        results[kind] = rows

    check = final_norm_check(model, results["plain"][0]["ids"])
    print("final-norm check:", check, file=sys.stderr)
    lens = [len(r["ids"]) for r in results["icl"]]
    d = int(model.config.hidden_size)
    C.update_meta(out_dir, {
        "model": args.model,
        "model_file": path.name,
        "model_sha256": C.sha256_file(path),
        "architecture": model.config.model_type,
        "hidden_size": d,
        "num_sentences": len(sentences),
        "sentence_selection": C.fixture_sentences.__doc__.strip(),
        "seed": C.SEED,
        "plain_template": C.PLAIN_TEMPLATE,
        "icl_template": C.template_for(True),
        "icl_template_source": f"data/icl_examples.txt line {C.ICL_LINE}",
        "hf": {
            "date": C.today(),
            "transformers": transformers.__version__,
            "torch": torch.__version__,
            "python": sys.version.split()[0],
            "load": "AutoModelForCausalLM.from_pretrained(dir, gguf_file=..., dtype=torch.float32) (GGUF dequantized to fp32)",
            "tokenizer": "AutoTokenizer.from_pretrained(dir, gguf_file=...), tok(prompt) with default special tokens",
            "bos_token_id": tok.bos_token_id,
            "bos_added_by_default": bool(bos_added),
            "eos_token_id": tok.eos_token_id,
            "probe_ids_hello_world": probe,
            "each_prompt_run_alone_no_padding": True,
            "final_norm_check": check,
            "hidden_states_last_is_post_final_norm": check["max_abs_diff_hidden_states_last_vs_norm_of_last_layer_output"] == 0.0,
            "prompt_tokens_plain_min_max": [min(len(r["ids"]) for r in results["plain"]), max(len(r["ids"]) for r in results["plain"])],
            "prompt_tokens_icl_min_max": [min(lens), max(lens)],
        },
        "files": {
            "plain.jsonl": "one JSON object per sentence: text (SentEval form, as given), prompt (rendered plain template), ids (HF tokenizer, default special tokens)",
            "icl.jsonl": "same with the line-16 demonstration template",
            "plain.hf.last.npy": f"float32 [{len(sentences)}, {d}] HF hidden_states[-1][0, -1] (last prompt token, after final norm), prompt run alone",
            "icl.hf.last.npy": f"float32 [{len(sentences)}, {d}] same for the ICL prompts",
            "plain.hf.mean.npy": f"float32 [{len(sentences)}, {d}] mean over all prompt tokens of hidden_states[-1] (plain prompts)",
        },
    })
    print(f"done in {time.time() - t0:.0f}s -> {out_dir}", file=sys.stderr)


if __name__ == "__main__":
    main()
