"""Reference embeddings for Token Prepending (Fu et al., ACL 2025; code: fuyuchenIfyw/token_prepending), the method
re-implemented here in HF transformers: the authors' modeling files patch the decoder loop of an older transformers
(LlamaModel/Qwen2Model.forward), so the same operation is done with forward pre-hooks on the decoder layers.

What the authors' evaluate.py and modeling_*.py do, and this script does the same:
- the prompt is the template with "<PST> " before the sentence's opening quote, e.g.
  'This sentence : <PST> "*sent 0*" means in one word:"', the sentence cleaned as PromptEOL cleans it;
- "<PST>" is added to the tokenizer (tokenizer.add_tokens), the embedding matrix is resized and the new row set to
  torch.randn(d) (they seed 3407 for CUDA only; here torch.manual_seed(3407) on the CPU, which sentemb reproduces);
- before each decoder layer index in [start, exit) the first <PST> row of the layer's input is replaced by the
  input's last row (in place);
- the embedding is hidden_states[output][:, -1].
Each prompt runs alone (no padding). The placeholder's id is the model's vocabulary size (the resized row), which is
what HF's tokenizer gives here too.

Settings: sentemb's default scales the authors' Llama-2-7B PromptEOL setting (1:7@27 of 32 blocks) to the model's
depth: tiny llama (2 blocks) 1:2@2, smollm2-135m (30 blocks) 1:7@25; with the PretCoT template their cot setting
reads hidden_states[-2] (1:7@-2 on smollm2). The tiny llama also runs 0:2@-2 (the embeddings' row replaced too).

Writes sentemb-core/src/test/resources/oracle/strategies/<model>/tp-<name>.jsonl ({"text","prompt","ids"}),
tp-<name>.last.npy (float32 [50, d]), placeholder.npy (the randn row), and adds "tp" to strategies/meta.json.

Usage: python tp_fixtures.py [--threads 2]
"""
from __future__ import annotations

import argparse
import json
import sys

import numpy as np
import torch

import common as C

PLAIN = 'This sentence : <PST> "*sent 0*" means in one word:"'
PRETCOT = 'After thinking step by step , this sentence : <PST> "*sent 0*" means in one word:"'
SEED = 3407


def embed_all(tok, model, sentences, template, start, exit_, output, pst_id):
    layers = model.model.layers

    def pre_hook(index):
        def hook(module, args, kwargs):
            h = args[0] if args else kwargs["hidden_states"]
            if start <= index < exit_:
                ids = hook.ids
                pst = int((ids == pst_id).float().argmax(dim=1)[0])  # the first placeholder, as find_token_indices
                h[:, pst, :] = h[:, -1, :].clone()
            return None
        return hook

    hooks = []
    fns = []
    for i, layer in enumerate(layers):
        fn = pre_hook(i)
        fns.append(fn)
        hooks.append(layer.register_forward_pre_hook(fn, with_kwargs=True))
    rows, vecs = [], []
    try:
        for s in sentences:
            prompt = template.replace("*sent 0*", C.clean_sentence(s)).strip()
            ids = tok(prompt)["input_ids"]
            t = torch.tensor([ids])
            for fn in fns:
                fn.ids = t
            with torch.no_grad():
                out = model(input_ids=t, output_hidden_states=True)
            vecs.append(out.hidden_states[output][0, -1].float().numpy())
            rows.append({"text": s, "prompt": prompt, "ids": ids})
    finally:
        for h in hooks:
            h.remove()
    return rows, np.stack(vecs).astype(np.float32)


def prepare(tok, model):
    vocab = model.get_input_embeddings().weight.shape[0]
    tok.add_tokens(["<PST>"])
    pst_id = tok.convert_tokens_to_ids("<PST>")
    assert pst_id == vocab, f"the placeholder's id {pst_id} is not the vocabulary size {vocab}"
    model.resize_token_embeddings(vocab + 1)
    d = model.get_input_embeddings().weight.shape[1]
    torch.manual_seed(SEED)
    row = torch.randn(d)
    with torch.no_grad():
        model.get_input_embeddings().weight[pst_id] = row
    return pst_id, row.numpy().astype(np.float32)


def run(name, tok, model, sentences, settings, out_dir):
    pst_id, row = prepare(tok, model)
    C.save_npy(out_dir / "placeholder.npy", row[None, :])
    meta = {"placeholder_id": pst_id, "num_hidden_states": model.config.num_hidden_layers + 1}
    for key, template, start, exit_, output in settings:
        rows, vecs = embed_all(tok, model, sentences, template, start, exit_, output, pst_id)
        C.write_jsonl(out_dir / f"tp-{key}.jsonl", rows)
        C.save_npy(out_dir / f"tp-{key}.last.npy", vecs)
        meta[key] = {"template": template, "start": start, "exit": exit_, "output": output, "sentences": len(rows)}
    return meta


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    sentences = C.fixture_sentences()[:50]
    root = C.FIXTURE_ROOT / "strategies"
    tok, model = C.tiny_llama()
    got = {"llama": run("llama", tok, model, sentences, [("plain", PLAIN, 1, 2, 2), ("plain-0-2", PLAIN, 0, 2, -2)], root / "llama")}
    tok, model = C.gguf_model("smollm2-135m")
    got["smollm2-135m"] = run("smollm2-135m", tok, model, sentences, [("plain", PLAIN, 1, 7, 25), ("pretcot", PRETCOT, 1, 7, -2)],
                              root / "smollm2-135m")
    C.strategy_meta_update("tp", got, "tools/oracle/tp_fixtures.py")
    print(json.dumps(got, indent=2))

if __name__ == "__main__":
    sys.exit(main())
