"""Reference echo embeddings (Springer et al. 2024, "Repetition Improves Language Model Embeddings"), computed
with the authors' own parser and pooling (EchoParser, EchoPooling from jakespringer/echo-embeddings'
echo_embeddings.py, imported from a checkout given by --echo-code; it is not copied here).

The zero-shot echo template: "Rewrite the following sentence: {!%%x%%}\\nThe rewritten sentence: {%%x%%}{</s>}" (x: the
name their parser gives a plain sentence) after the
model's BOS. In the authors' template language a piece in braces is pooled unless it starts with '!', and every
piece is tokenized on its own. "<s>" and "</s>" are Mistral's BOS and EOS, so for another model they become that
model's BOS string (none when its tokenizer adds no BOS) and EOS string. The embedding is the mean of the final
hidden states (last_hidden_state, after the final norm) over the pooled pieces: the second copy and the EOS.
The tokenizer is loaded as their EchoParser loads one (add_bos_token=False, add_eos_token=False).

Models: the tiny llama checkpoint of sentemb-core's tests (hf/llama) and smollm2-135m (the GGUF, dequantized to
fp32 by transformers). Sentences: the first 50 oracle sentences (common.fixture_sentences). Each prompt runs alone.

Writes sentemb-core/src/test/resources/oracle/strategies/<model>/echo.jsonl ({"text","template","ids","mask"})
and echo.mean.npy (float32 [50, d]); adds "echo" to each model in strategies/meta.json.

Usage: git clone https://github.com/jakespringer/echo-embeddings DIR
       python echo_fixtures.py --echo-code DIR --echo-commit "$(git -C DIR rev-parse HEAD)" [--threads 2]
"""
from __future__ import annotations

import argparse
import json
import sys

import numpy as np
import torch
import transformers
from transformers import AutoModel, AutoTokenizer

import common as C

HEAD = "Rewrite the following sentence: "
MID = "\nThe rewritten sentence: "


def template_for(tok, adds_bos: bool) -> str:
    bos = tok.bos_token if adds_bos and tok.bos_token else ""
    return bos + HEAD + "{!%%x%%}" + MID + "{%%x%%}{" + tok.eos_token + "}"


def run(tok, model, adds_bos, sentences, out_dir, echo):
    template = template_for(tok, adds_bos)
    parser = echo.EchoParser(tok, {"echo": template})
    pooling = echo.EchoPooling(strategy="mean")
    wrapped = echo.EchoEmbeddingsMistral(model)
    rows, vecs = [], []
    for s in sentences:
        with torch.no_grad():
            x = parser(("echo", s))
            x = wrapped(x)
            v = pooling(x)["sentence_embedding"][0]
        vecs.append(v.float().numpy())
        rows.append({"text": s, "template": template, "ids": x["input_ids"][0].tolist(), "mask": x["embed_mask"][0].tolist()})
    C.write_jsonl(out_dir / "echo.jsonl", rows)
    C.save_npy(out_dir / "echo.mean.npy", np.stack(vecs).astype(np.float32))
    return {"template": template, "pooling": "mean over the pooled pieces of last_hidden_state", "sentences": len(rows)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--echo-code", required=True, help="a checkout of jakespringer/echo-embeddings")
    ap.add_argument("--echo-commit", default=None, help="the checkout's commit, recorded in meta.json")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    sys.path.insert(0, args.echo_code)
    import echo_embeddings as echo

    torch.set_num_threads(args.threads)
    sentences = C.fixture_sentences()[:50]
    root = C.FIXTURE_ROOT / "strategies"
    meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))

    tiny = C.REPO_ROOT / "sentemb-core" / "src" / "test" / "resources" / "hf" / "llama"
    adds = AutoTokenizer.from_pretrained(str(tiny))("x")["input_ids"][0] == AutoTokenizer.from_pretrained(str(tiny)).bos_token_id
    tok = AutoTokenizer.from_pretrained(str(tiny), add_bos_token=False, add_eos_token=False)
    model = AutoModel.from_pretrained(str(tiny), dtype=torch.float32).eval()
    meta["llama"]["echo"] = run(tok, model, adds, sentences, root / "llama", echo)

    path = C.model_path("smollm2-135m")
    plain = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
    adds = plain.bos_token_id is not None and plain("x")["input_ids"][0] == plain.bos_token_id
    tok = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name, add_bos_token=False, add_eos_token=False)
    model = AutoModel.from_pretrained(str(path.parent), gguf_file=path.name, dtype=torch.float32).eval()
    meta["smollm2-135m"]["echo"] = run(tok, model, adds, sentences, root / "smollm2-135m", echo)
    meta["made_echo"] = {"script": "tools/oracle/echo_fixtures.py", "date": C.today(), "torch": torch.__version__,
                         "transformers": transformers.__version__, "echo_embeddings_commit": args.echo_commit}
    (root / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: meta[k] for k in ("made_echo",)}, indent=2))
    print(json.dumps(meta["llama"]["echo"], indent=2), json.dumps(meta["smollm2-135m"]["echo"], indent=2))


if __name__ == "__main__":
    sys.exit(main())
