"""Sanity checks of the committed oracle fixtures.

- shapes, dtype, finiteness of every .npy; rows/prompts consistent with the jsonl files
- prompts re-rendered from `text` with common.render, sentence list equals common.fixture_sentences()
- HF ids re-tokenized (optional --retokenize, loads the HF tokenizer)
- HF vs llama.cpp cosine where ids equal (min/mean) and norm ratio
- with --prenorm K: for the first K plain prompts, compute HF's last-token hidden state BEFORE the
  final norm and show llama.cpp is close to the post-norm vector, not the pre-norm one

Usage: python verify_fixtures.py [--model M] [--retokenize] [--prenorm 5] [--record]
"""
from __future__ import annotations

import argparse
import json

import numpy as np

import common as C


def check_model(name: str, retokenize: bool, prenorm: int) -> dict:
    d = C.FIXTURE_ROOT / name
    meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
    hidden = meta["hidden_size"]
    sentences = C.fixture_sentences()
    rep = {"model": name}
    for kind in ("plain", "icl"):
        rows = C.read_jsonl(d / f"{kind}.jsonl")
        assert [r["text"] for r in rows] == sentences, "sentence list changed"
        tpl = C.template_for(kind == "icl")
        assert all(C.render(tpl, r["text"]) == r["prompt"] for r in rows), "prompt rendering changed"
        names = [f"{kind}.hf.last.npy"] + (["plain.hf.mean.npy"] if kind == "plain" else [])
        lc = d / f"{kind}.llamacpp.last.npy"
        if lc.exists():
            names.append(lc.name)
        for n in names:
            a = np.load(d / n)
            assert a.dtype == np.dtype("<f4") and a.shape == (200, hidden), (n, a.dtype, a.shape)
            assert np.isfinite(a).all(), n
        if lc.exists():
            lrows = C.read_jsonl(d / f"{kind}.llamacpp.jsonl")
            assert [r["prompt"] for r in lrows] == [r["prompt"] for r in rows]
            same = np.array([a["ids"] == b["ids"] for a, b in zip(rows, lrows)])
            hf, ll = np.load(d / f"{kind}.hf.last.npy"), np.load(lc)
            cos = C.cosine_rows(hf, ll)
            rep[kind] = {
                "ids_differ": int((~same).sum()),
                "cos_min_ids_equal": round(float(cos[same].min()), 6),
                "cos_mean_ids_equal": round(float(cos[same].mean()), 6),
                "cos_min_all": round(float(cos.min()), 6),
                "norm_ratio_mean": round(float((np.linalg.norm(ll, axis=1) / np.linalg.norm(hf, axis=1))[same].mean()), 4),
            }
        if kind == "plain":
            hf_mean = np.load(d / "plain.hf.mean.npy")
            hf_last = np.load(d / "plain.hf.last.npy")
            rep["plain_cos_last_vs_mean_mean"] = round(float(C.cosine_rows(hf_last, hf_mean).mean()), 4)
        rep[f"{kind}_tokens_min_max"] = [min(len(r["ids"]) for r in rows), max(len(r["ids"]) for r in rows)]

    if retokenize or prenorm:
        import torch
        from hidden_fixtures import load
        torch.set_num_threads(2)
        path, tok, model = load(name)
        if retokenize:
            for kind in ("plain", "icl"):
                rows = C.read_jsonl(d / f"{kind}.jsonl")
                assert all(tok(r["prompt"])["input_ids"] == r["ids"] for r in rows), "HF ids changed"
            rep["retokenized_ok"] = True
        if prenorm:
            rows = C.read_jsonl(d / "plain.jsonl")
            hf = np.load(d / "plain.hf.last.npy")
            ll = np.load(d / "plain.llamacpp.last.npy")
            out = []
            for i in range(prenorm):
                # capture the last decoder layer's output (before the final norm) with a hook
                cap = {}
                h = model.model.layers[-1].register_forward_hook(
                    lambda m, i_, o_: cap.__setitem__("h", o_[0] if isinstance(o_, tuple) else o_))
                with torch.no_grad():
                    o2 = model.model(input_ids=torch.tensor([rows[i]["ids"]]), output_hidden_states=True)
                h.remove()
                pre = cap["h"][0, -1].numpy()
                post = o2.hidden_states[-1][0, -1].numpy()
                repro = float(np.abs(post - hf[i]).max())
                assert repro < 1e-3 * max(1.0, float(np.abs(hf[i]).max())), ("HF fixture not reproducible", repro)
                cos = lambda a, b: float(np.dot(a, b) / np.linalg.norm(a) / np.linalg.norm(b))
                out.append({"hf_repro_max_abs_diff": repro, "cos_llamacpp_post": round(cos(ll[i], post), 5), "cos_llamacpp_pre": round(cos(ll[i], pre), 5),
                            "norm_llamacpp": round(float(np.linalg.norm(ll[i])), 3),
                            "norm_hf_post": round(float(np.linalg.norm(post)), 3),
                            "norm_hf_pre": round(float(np.linalg.norm(pre)), 3)})
            rep["prenorm_check"] = out
    return rep


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=C.MODELS)
    ap.add_argument("--retokenize", action="store_true")
    ap.add_argument("--prenorm", type=int, default=0)
    ap.add_argument("--record", action="store_true", help="store the report as 'verify' in meta.json")
    args = ap.parse_args(argv)
    for m in ([args.model] if args.model else C.MODELS):
        if (C.FIXTURE_ROOT / m / "meta.json").exists():
            rep = check_model(m, args.retokenize, args.prenorm)
            print(json.dumps(rep, indent=1))
            if args.record:
                rep["date"] = C.today()
                C.update_meta(C.FIXTURE_ROOT / m, {"verify": rep})


if __name__ == "__main__":
    main()
