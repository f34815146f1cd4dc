"""Training speed of PyTorch + peft on CPU, for `sentemb train` to be measured beside (issue 16).

The same work as sentemb's step: an fp32 Hugging Face directory (hf_real_dirs.py makes smollm2-135m's),
a fresh LoRA (r 64, alpha 16, dropout 0.05, all linear layers), prompts as the reference builds them
(sentence cut to 32 tokens, plain template), and the exact full-batch SimCSE gradient by gradient
caching: embed the batch in micro-batches without a graph, take the loss's gradient on the embeddings,
then re-run each micro-batch with a graph and backpropagate those gradients; AdamW step. Micro-batches
are right-padded, the embedding read at each prompt's last real token. `--plain` instead runs the
reference's own gradient accumulation (each micro-batch its own loss: one forward, no cross-micro-batch
negatives), for context.

Prints one JSON line per step: prompt tokens, seconds, tokens/s, loss; then the median.
Run: ~/.cache/sentemb-oracle/venv/bin/python bench_train.py --threads 2 --batch 64 --micro-batch 16 --steps 3
"""
from __future__ import annotations

import argparse
import csv
import json
import statistics
import time
from pathlib import Path

import peft
import torch
import transformers

import common as C

TEMPLATE = 'This sentence : "*sent 0*" means in one word:"'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", default=str(Path.home() / ".cache/sentemb-oracle/hf/smollm2-135m"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--micro-batch", type=int, default=16)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--plain", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    tok = transformers.AutoTokenizer.from_pretrained(args.model_dir)
    base = transformers.AutoModelForCausalLM.from_pretrained(args.model_dir, dtype=torch.float32)
    cfg = peft.LoraConfig(r=64, lora_alpha=16, lora_dropout=0.05, target_modules="all-linear", bias="none", task_type="CAUSAL_LM")
    model = peft.get_peft_model(base, cfg)
    model.train()
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=5e-4, weight_decay=0.0)
    rows = list(csv.DictReader(open(C.data_root() / "nli" / "snli_devtest_triplets.csv", encoding="utf-8")))

    def prompt(s):
        ids = tok(s, add_special_tokens=False)["input_ids"][:32]
        return tok(TEMPLATE.replace("*sent 0*", tok.decode(ids)))["input_ids"]

    def embed(seqs):
        n = max(len(s) for s in seqs)
        ids = torch.zeros(len(seqs), n, dtype=torch.long)
        mask = torch.zeros(len(seqs), n, dtype=torch.long)
        for i, s in enumerate(seqs):
            ids[i, :len(s)] = torch.tensor(s)
            mask[i, :len(s)] = 1
        h = model(input_ids=ids, attention_mask=mask, output_hidden_states=True).hidden_states[-1]
        return h[torch.arange(len(seqs)), mask.sum(1) - 1]

    def loss_of(z, b):
        z1, z2, z3 = z[:b], z[b:2 * b], z[2 * b:]
        cos = torch.nn.CosineSimilarity(dim=-1)
        logits = torch.cat([cos(z1.unsqueeze(1), z2.unsqueeze(0)), cos(z1.unsqueeze(1), z3.unsqueeze(0))], 1) / 0.05
        return torch.nn.CrossEntropyLoss()(logits, torch.arange(b))

    times = []
    for step in range(args.steps):
        batch = rows[step * args.batch:(step + 1) * args.batch]
        seqs = [prompt(r[k]) for k in ("sent0", "sent1", "hard_neg") for r in batch]
        tokens = sum(len(s) for s in seqs)
        b, m = len(batch), args.micro_batch
        t0 = time.perf_counter()
        if args.plain:
            for i in range(0, b, m):
                part = [seqs[i + j + g * b] for g in range(3) for j in range(min(m, b - i))]
                loss = loss_of(embed(part), min(m, b - i)) * min(m, b - i) / b
                loss.backward()
        else:
            order = [(g, i) for g in range(3) for i in range(b)]
            chunk = 3 * m
            with torch.no_grad():
                z = torch.cat([embed([seqs[g * b + i] for g, i in order[c:c + chunk]]) for c in range(0, 3 * b, chunk)])
            z.requires_grad_(True)
            loss = loss_of(z, b)
            loss.backward()
            grad = z.grad
            # dropout masks differ between the two passes here (torch draws new ones): the work is the same
            for c in range(0, 3 * b, chunk):
                part = embed([seqs[g * b + i] for g, i in order[c:c + chunk]])
                part.backward(grad[c:c + chunk])
        torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], 1.0)
        opt.step()
        opt.zero_grad()
        dt = time.perf_counter() - t0
        times.append(tokens / dt)
        print(json.dumps({"step": step + 1, "tokens": tokens, "seconds": round(dt, 2), "tokens_per_s": round(tokens / dt, 1),
                          "loss": round(float(loss), 4), "mode": "plain" if args.plain else "gradcache"}), flush=True)
    print(json.dumps({"median_tokens_per_s": round(statistics.median(times), 1), "threads": args.threads, "batch": args.batch,
                      "micro_batch": args.micro_batch, "torch": torch.__version__, "peft": peft.__version__}))


if __name__ == "__main__":
    main()
