"""Reference embeddings for the named prompt strategies, computed the way their authors' code computes them.

Pretended CoT and Knowledge Enhancement (Zhang et al. 2024; their evaluation.py and settings.py): the
template's '_' become spaces and the *sent_0* slot takes the sentence after the PromptEOL clean-up (final
'.' added unless it ends in . ? " ', '"' to "'", a final '?' to '.'); the embedding is hidden_states[-2][:, -1]
(the residual stream before the last block, not normed). Each prompt runs alone (no padding), as every
other fixture here.

Models: the tiny llama checkpoint of sentemb-core's tests (hf/llama) and smollm2-135m (the GGUF,
dequantized to fp32 by transformers). Sentences: the first 50 oracle sentences (common.fixture_sentences).

Writes sentemb-core/src/test/resources/oracle/strategies/<model>/<strategy>.jsonl ({"text","prompt","ids"})
and <strategy>.last.npy (float32 [50, d]), and meta.json.

Usage: python strategy_fixtures.py [--threads 2]
"""
from __future__ import annotations

import argparse
import json
import sys

import numpy as np
import torch
import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer

import common as C

# The authors' templates (settings.py), copied as data.
TEMPLATES = {
    "pretcot": 'After thinking step by step , this sentence : "*sent_0*" means in one word:"',
    "ke": ('The essence of a sentence is often captured by its main subjects and actions, while descriptive terms '
           'provide additional but less central details. With this in mind , this sentence : "*sent_0*" means in one word:"'),
}
HIDDEN_INDEX = -2  # evaluation.py: hidden_states[-2][:, -1, :] for both


def authors_prompt(template: str, sentence: str) -> str:
    t = template.replace("_", " ").replace("*sep+*", "").replace("*cls*", "")
    return t.replace("*sent 0*", C.clean_sentence(sentence)).strip()


def run(name: str, tok, model, sentences, out_dir):
    meta = {}
    for strategy, template in TEMPLATES.items():
        rows, vecs = [], []
        for s in sentences:
            prompt = authors_prompt(template, s)
            ids = tok(prompt)["input_ids"]
            with torch.no_grad():
                out = model(input_ids=torch.tensor([ids]), output_hidden_states=True)
            vecs.append(out.hidden_states[HIDDEN_INDEX][0, -1].float().numpy())
            rows.append({"text": s, "prompt": prompt, "ids": ids})
        C.write_jsonl(out_dir / f"{strategy}.jsonl", rows)
        C.save_npy(out_dir / f"{strategy}.last.npy", np.stack(vecs).astype(np.float32))
        meta[strategy] = {"template": template, "hidden_states_index": HIDDEN_INDEX, "sentences": len(rows),
                          "num_hidden_states": len(out.hidden_states)}
    return meta


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    sentences = C.fixture_sentences()[:50]
    root = C.FIXTURE_ROOT / "strategies"

    tiny = C.REPO_ROOT / "sentemb-core" / "src" / "test" / "resources" / "hf" / "llama"
    tok = AutoTokenizer.from_pretrained(str(tiny))
    model = AutoModelForCausalLM.from_pretrained(str(tiny), dtype=torch.float32).eval()
    d = root / "llama"
    d.mkdir(parents=True, exist_ok=True)
    meta = {"llama": run("llama", tok, model, sentences, d)}

    path = C.model_path("smollm2-135m")
    tok = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
    model = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name, dtype=torch.float32).eval()
    d = root / "smollm2-135m"
    d.mkdir(parents=True, exist_ok=True)
    meta["smollm2-135m"] = run("smollm2-135m", tok, model, sentences, d)
    meta["smollm2-135m"]["gguf_sha256"] = C.sha256_file(path)
    meta["made"] = {"script": "tools/oracle/strategy_fixtures.py", "date": C.today(), "torch": torch.__version__,
                    "transformers": transformers.__version__}
    (root / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    sys.exit(main())
