"""One contrastive LoRA step with PyTorch + peft, as the reference's ft_llm.py computes it, on the tiny
random checkpoints (sentemb-core/src/test/resources/hf/...): llama with its committed random all-linear
LoRA (hf/llama-lora), and OPT (pre-LN), OPT post-LN with project_in/out (hf/opt-proj) and Gemma 3 (q/k
norms, GeGLU, a sliding window shorter than the prompts) each with a fresh random LoRA (r 4, alpha 8) on
all linear layers, saved beside the fixture. Writes sentemb-core/src/test/resources/train/<case>-step/:

  batch.json           the 8 triplets' prompt token ids (anchors, positives, hard negatives), lr, tau
  expected.safetensors for every LoRA tensor K (PEFT's name): K.grad (dL/dK) and K.after (after one
                       clipped AdamW step), plus "loss" and "grad_norm" (1-element tensors)
  adapter/             the LoRA before the step (fresh cases only)
  meta.json            versions and figures

The loss: cos(z1, [z2; z3]) / 0.05, cross-entropy with target i (hard-negative weight 0), z = the final
hidden state (after the final norm, and OPT's project_out) of each prompt's last token, every prompt run
alone (no padding). Then HF Trainer's clipping (max_grad_norm 1.0) and torch.optim.AdamW(lr=1e-3, betas
(0.9, 0.999), eps 1e-8, weight_decay 0). Dropout 0, so the step is deterministic.

Usage: train_fixtures.py [case ...]   (cases: llama, opt, opt-proj, gemma3; default all)
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import peft
import torch
import transformers
from safetensors.torch import save_file

import common as C

HF = C.REPO_ROOT / "sentemb-core" / "src" / "test" / "resources" / "hf"
TRAIN = C.REPO_ROOT / "sentemb-core" / "src" / "test" / "resources" / "train"
CASES = {"llama": "llama-lora", "opt": None, "opt-proj": None, "gemma3": None}  # case: committed adapter or fresh
TEMPLATE = 'This sentence : "*sent 0*" means in one word:"'
TAU = 0.05
LR = 1e-3


def prompts():
    rows = list(csv.DictReader(open(C.data_root() / "nli" / "snli_devtest_triplets.csv", encoding="utf-8")))[:8]
    return [[TEMPLATE.replace("*sent 0*", r[k]) for r in rows] for k in ("sent0", "sent1", "hard_neg")]


def step(case: str, adapter):
    out_dir = TRAIN / f"{case}-step"
    torch.manual_seed(0)
    tok = transformers.AutoTokenizer.from_pretrained(str(HF / case))
    # OPT's configs ask for hidden dropout in training; 0 here, so the step is deterministic
    extra = {"dropout": 0.0} if case.startswith("opt") else {}
    base = transformers.AutoModel.from_pretrained(str(HF / case), dtype=torch.float32, **extra)
    if adapter:
        model = peft.PeftModel.from_pretrained(base, str(HF / adapter), is_trainable=True)
    else:
        cfg = peft.LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, target_modules="all-linear", init_lora_weights=False)
        torch.manual_seed(1)
        model = peft.get_peft_model(base, cfg)
        model.save_pretrained(str(out_dir / "adapter"))
        (out_dir / "adapter" / "README.md").unlink(missing_ok=True)
        cfg_path = out_dir / "adapter" / "adapter_config.json"  # name the base as the other fixtures do, not by this machine's path
        cfg_json = json.loads(cfg_path.read_text())
        cfg_json["base_model_name_or_path"] = f"hf/{case}"
        cfg_path.write_text(json.dumps(cfg_json, indent=2, sort_keys=True) + "\n")
    model.train()
    groups = prompts()
    ids = [[tok(p)["input_ids"] for p in g] for g in groups]
    z = []
    for g in ids:
        for seq in g:
            out = model(input_ids=torch.tensor([seq]))
            z.append(out.last_hidden_state[0, -1])
    z = torch.stack(z)
    b = len(ids[0])
    z1, z2, z3 = z[:b], z[b:2 * b], z[2 * b:]
    cos = torch.nn.CosineSimilarity(dim=-1)
    logits = torch.cat([cos(z1.unsqueeze(1), z2.unsqueeze(0)), cos(z1.unsqueeze(1), z3.unsqueeze(0))], 1) / TAU
    loss = torch.nn.CrossEntropyLoss()(logits, torch.arange(b))
    loss.backward()
    params = {n: p for n, p in model.named_parameters() if p.requires_grad}
    grads = {n: p.grad.detach().clone() for n, p in params.items()}
    norm = torch.nn.utils.clip_grad_norm_(list(params.values()), 1.0)
    opt = torch.optim.AdamW(list(params.values()), lr=LR, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    opt.step()
    out_dir.mkdir(parents=True, exist_ok=True)
    tensors = {"loss": loss.detach().reshape(1), "grad_norm": norm.detach().reshape(1)}
    for n, p in params.items():
        key = n.replace(".default", "")  # PEFT's saved names carry no adapter name
        tensors[key + ".grad"] = grads[n].contiguous()
        tensors[key + ".after"] = p.detach().clone().contiguous()
    save_file(tensors, str(out_dir / "expected.safetensors"))
    (out_dir / "batch.json").write_text(json.dumps({"anchors": ids[0], "positives": ids[1], "negatives": ids[2],
                                                "tau": TAU, "lr": LR, "max_grad_norm": 1.0}) + "\n")
    C.update_meta(out_dir, {"base": f"hf/{case}", "adapter": f"hf/{adapter}" if adapter else "adapter (fresh, r 4, alpha 8, all-linear)", "torch": torch.__version__,
                        "transformers": transformers.__version__, "peft": peft.__version__, "date": C.today(),
                        "loss": float(loss), "grad_norm": float(norm), "lora_tensors": len(params)})
    print(f"{case}: loss {float(loss):.6f} grad norm {float(norm):.6f} tensors {len(params)}")


def main(argv):
    for case in argv or list(CASES):
        step(case, CASES[case])


if __name__ == "__main__":
    import sys
    main(sys.argv[1:])
