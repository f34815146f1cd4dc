"""Reference embeddings for Contrastive Prompting (Cheng et al., ACL 2025, "Contrastive Prompting Enhances Sentence
Embeddings in LLMs through Inference-Time Steering"), the method of the authors' evaluate_intervention.py and
activation_additions (their "scaled" plan at the attention heads, the setting of their run script) re-implemented
here with forward hooks in HF transformers (their senllm modeling file patches an older transformers):

- the auxiliary prompt 'The irrelevant information of this sentence : "*sent 0*" means in one word:"' (the sentence
  cleaned as PromptEOL cleans it) runs through the model; the input of block L's self_attn.o_proj at its last token
  is kept (get_o_proj_input) as B;
- the prompt (PromptEOL's, or KE's) runs with a forward pre-hook on the same o_proj that replaces its input's last
  row A by coeff * (A - B) (_scaled_difference_hook, the paper's CP-NS with coeff = 1/alpha) or by
  (A - B) * |A| / (|A - B| + 1e-7) (_normalized_difference_hook, CP-NR);
- the embedding is hidden_states[output][:, -1].
Each prompt runs alone (no padding).

Settings: sentemb's default scales the authors' Llama-2-7B settings to the model's depth: PromptEOL act_layer 4,
coeff 0.5, output_layer 27 of 32 blocks (their run script; the paper's layer 5, alpha 2) gives tiny llama (2 blocks)
0x0.5@2 and smollm2-135m (30 blocks) 4x0.5@25; KE the paper's layer 7, alpha 3, penultimate layer gives 6x(1/3)@-2 on
smollm2. CP-NR (coeff None here) is run on smollm2 at 4xnorm@25.

Writes sentemb-core/src/test/resources/oracle/strategies/<model>/cp-<name>.jsonl ({"text","prompt","ids",
"auxiliary_prompt","auxiliary_ids"}) and cp-<name>.last.npy (float32 [50, d]); adds "cp" to strategies/meta.json.

Usage: python cp_fixtures.py [--threads 2]
"""
from __future__ import annotations

import argparse
import json
import sys

import numpy as np
import torch

import common as C

PLAIN = 'This sentence : "*sent 0*" means in one word:"'
KE = ('The essence of a sentence is often captured by its main subjects and actions, while descriptive terms provide '
      'additional but less central details. With this in mind , this sentence : "*sent 0*" means in one word:"')
AUXILIARY = 'The irrelevant information of this sentence : "*sent 0*" means in one word:"'


def render(template, s):
    return template.replace("*sent 0*", C.clean_sentence(s)).strip()


def embed_all(tok, model, sentences, template, layer, coeff, output):
    o_proj = model.model.layers[layer].self_attn.o_proj
    rows, vecs = [], []
    for s in sentences:
        aux = render(AUXILIARY, s)
        aux_ids = tok(aux)["input_ids"]
        kept = []
        h = o_proj.register_forward_hook(lambda m, inp, out: kept.append(inp[0][0, -1].clone()))
        try:
            with torch.no_grad():
                model(input_ids=torch.tensor([aux_ids]))
        finally:
            h.remove()
        b = kept[0]

        def steer(m, inp):
            x = inp[0]
            if coeff is None:
                a = x[:, -1, :]
                diff = a - b
                x[:, -1, :] = diff * (a.norm(dim=-1, keepdim=True) / (diff.norm(dim=-1, keepdim=True) + 1e-7))
            else:
                x[:, -1, :] = coeff * (x[:, -1, :] - b)
            return (x,) + tuple(inp[1:])

        prompt = render(template, s)
        ids = tok(prompt)["input_ids"]
        h = o_proj.register_forward_pre_hook(steer)
        try:
            with torch.no_grad():
                out = model(input_ids=torch.tensor([ids]), output_hidden_states=True)
        finally:
            h.remove()
        vecs.append(out.hidden_states[output][0, -1].float().numpy())
        rows.append({"text": s, "prompt": prompt, "ids": ids, "auxiliary_prompt": aux, "auxiliary_ids": aux_ids})
    return rows, np.stack(vecs).astype(np.float32)


def run(tok, model, sentences, settings, out_dir):
    meta = {}
    for key, template, layer, coeff, output in settings:
        rows, vecs = embed_all(tok, model, sentences, template, layer, coeff, output)
        C.write_jsonl(out_dir / f"cp-{key}.jsonl", rows)
        C.save_npy(out_dir / f"cp-{key}.last.npy", vecs)
        meta[key] = {"template": template, "auxiliary": AUXILIARY, "layer": layer, "coeff": coeff, "output": output,
                     "sentences": len(rows)}
    return meta


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    sentences = C.fixture_sentences()[:50]
    root = C.FIXTURE_ROOT / "strategies"
    tok, model = C.tiny_llama()
    got = {"llama": run(tok, model, sentences, [("plain", PLAIN, 0, 0.5, 2), ("plain-1x0.25", PLAIN, 1, 0.25, -1)], root / "llama")}
    tok, model = C.gguf_model("smollm2-135m")
    got["smollm2-135m"] = run(tok, model, sentences, [("plain", PLAIN, 4, 0.5, 25), ("ke", KE, 6, 1 / 3, -2),
                                                      ("plain-norm", PLAIN, 4, None, 25)], root / "smollm2-135m")
    C.strategy_meta_update("cp", got, "tools/oracle/cp_fixtures.py")
    print(json.dumps(got, indent=2))

if __name__ == "__main__":
    sys.exit(main())
