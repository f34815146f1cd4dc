"""Tiny random Hugging Face checkpoints and their transformers outputs (issue 7 fixtures).

Writes sentemb-core/src/test/resources/hf/<name>/: a model directory as transformers saves it
(config.json, weights, tokenizer files) plus what transformers computes on it:
  prompts.jsonl    {"text", "prompt", "ids"} per prompt (the directory's own tokenizer)
  hidden.npy       float32 [sum of lengths, d]: last_hidden_state rows, prompts concatenated
  last.npy         float32 [prompts, d]: the PromptEOL embedding (last prompt token)
Models are random (fixed seeds) with weights scaled up from transformers' tiny init so attention
is far from uniform: a wrong rotary layout or position offset moves the outputs well past 1e-4.

Run: ~/.cache/sentemb-oracle/venv/bin/python hf_fixtures.py
"""
from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import torch
import transformers
from tokenizers import Tokenizer, models, pre_tokenizers, decoders, trainers, processors

import common as C

ROOT = C.REPO_ROOT / "sentemb-core" / "src" / "test" / "resources" / "hf"
SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"]
SENTENCES = [
    "A man is playing a guitar.",
    "Is this the \"right\" way?",
    "a woman slices an onion",
    "Two dogs run across the résumé field — quickly!",
    "The cat sat on the mat",
    "Why?",
]


def train_bpe(vocab_size: int = 400) -> Tokenizer:
    """A byte-level BPE (GPT-2 alphabet) trained on the ICL demonstrations, OPT's special tokens first."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIALS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    lines = (C.data_root() / "icl_examples.txt").read_text(encoding="utf-8").splitlines()
    tok.train_from_iterator([l.replace("_", " ") for l in lines] + SENTENCES, trainer)
    return tok


def write_slow_files(tok: Tokenizer, d: Path) -> None:
    """vocab.json + merges.txt as GPT-2/OPT repositories ship them."""
    tmp = d / "_bpe"
    tmp.mkdir(parents=True, exist_ok=True)
    tok.model.save(str(tmp))
    for f in ("vocab.json", "merges.txt"):
        shutil.move(str(tmp / f), str(d / f))
    tmp.rmdir()


def opt_tokenizer(tok: Tokenizer, d: Path, with_json: bool):
    """OPT's tokenizer: GPT-2 BPE, </s> prepended as BOS (add_bos_token), as facebook/opt-* configure it."""
    write_slow_files(tok, d)
    cfg = {"tokenizer_class": "GPT2Tokenizer", "add_bos_token": True, "add_prefix_space": False, "errors": "replace",
           "bos_token": "</s>", "eos_token": "</s>", "unk_token": "</s>", "pad_token": "<pad>"}
    (d / "tokenizer_config.json").write_text(json.dumps(cfg, indent=2))
    t = transformers.AutoTokenizer.from_pretrained(str(d))
    if with_json:
        t.save_pretrained(str(d))
    return transformers.AutoTokenizer.from_pretrained(str(d))


def llama_tokenizer(tok: Tokenizer, d: Path):
    """The same BPE with a LLaMA-3-like post-processor adding <s> (tokenizer.json only)."""
    t = Tokenizer.from_str(tok.to_str())
    t.post_processor = processors.TemplateProcessing(single="<s> $A", pair="<s> $A <s> $B", special_tokens=[("<s>", 0)])
    d.mkdir(parents=True, exist_ok=True)
    t.save(str(d / "tokenizer.json"))
    cfg = {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
           "pad_token": "<pad>"}
    (d / "tokenizer_config.json").write_text(json.dumps(cfg, indent=2))
    return transformers.AutoTokenizer.from_pretrained(str(d))


def scramble(model: torch.nn.Module, seed: int) -> None:
    """Weights of unit-ish scale: norms near 1, biases small, matrices ~ N(0, 1/fan_in)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            r = torch.randn(p.shape, generator=g)
            if p.dim() == 1 and "norm" in name and name.endswith("weight"):
                p.copy_(1 + 0.2 * r)
            elif p.dim() == 1:
                p.copy_(0.1 * r)
            elif "embed" in name:
                p.copy_(r)
            else:
                p.copy_(r * 1.5 / math.sqrt(p.shape[1]))


def prompts(tokenizer):
    rows = []
    for icl in (False, True):
        tpl = C.template_for(icl)
        for s in SENTENCES[:4] if icl else SENTENCES:
            p = C.render(tpl, s)
            rows.append({"text": s, "prompt": p, "ids": tokenizer(p)["input_ids"]})
    return rows


def run_and_save(model, rows, d: Path, meta: dict) -> None:
    model.eval()
    hidden, last = [], []
    with torch.no_grad():
        for r in rows:
            out = model(input_ids=torch.tensor([r["ids"]]), output_hidden_states=True)
            h = out.hidden_states[-1][0] if hasattr(out, "hidden_states") and out.hidden_states is not None else None
            lh = out.last_hidden_state[0] if hasattr(out, "last_hidden_state") else h
            if h is not None:
                assert torch.equal(h, lh), "hidden_states[-1] differs from last_hidden_state"
            hidden.append(lh.float().numpy())
            last.append(lh[-1].float().numpy())
    C.save_npy(d / "hidden.npy", np.concatenate(hidden).astype(np.float32))
    C.save_npy(d / "last.npy", np.stack(last).astype(np.float32))
    C.write_jsonl(d / "prompts.jsonl", rows)
    meta.update({"transformers": transformers.__version__, "torch": torch.__version__, "date": C.today(),
                 "prompts": len(rows), "tokens": int(sum(len(r["ids"]) for r in rows))})
    (d / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")


def base_model(arch: str, vocab: int, seed: int, **extra):
    torch.manual_seed(seed)
    common = dict(vocab_size=vocab, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                  max_position_embeddings=256, pad_token_id=1, bos_token_id=0, eos_token_id=2)
    if arch == "opt":
        cfg = transformers.OPTConfig(ffn_dim=128, **{**common, "bos_token_id": 2, **extra})
        m = transformers.OPTModel(cfg)
    elif arch == "llama":
        cfg = transformers.LlamaConfig(intermediate_size=128, num_key_value_heads=2, rms_norm_eps=1e-6,
                                       rope_theta=10000.0, **{**common, **extra})
        m = transformers.LlamaModel(cfg)
    elif arch == "gemma3":
        # Two layers, one sliding (window 8, shorter than every prompt) and one global, as Gemma 3 interleaves them.
        cfg = transformers.Gemma3TextConfig(intermediate_size=128, num_key_value_heads=2, head_dim=16, sliding_window=8,
                                            layer_types=["sliding_attention", "full_attention"], query_pre_attn_scalar=16,
                                            rms_norm_eps=1e-6, **{**common, **extra})
        m = transformers.Gemma3TextModel(cfg)
    elif arch == "qwen2":
        cfg = transformers.Qwen2Config(intermediate_size=128, num_key_value_heads=2, rms_norm_eps=1e-6,
                                       rope_theta=1000000.0, **{**common, **extra})
        m = transformers.Qwen2Model(cfg)
    else:
        raise ValueError(arch)
    scramble(m, seed)
    return m.float()


def reload(d: Path):
    return transformers.AutoModel.from_pretrained(str(d), dtype=torch.float32)


def save_as(model, d: Path, dtype=None, max_shard=None, safe=True):
    m = model.to(dtype) if dtype is not None else model
    kw = {"max_shard_size": max_shard} if max_shard else {}
    if safe:
        m.save_pretrained(str(d), **kw)
    else:
        m.config.save_pretrained(str(d))
        torch.save(m.state_dict(), d / "pytorch_model.bin")
    model.float()


def fresh(name: str) -> Path:
    d = ROOT / name
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    return d


def lora(base_dir: Path, d: Path, targets, seed: int, bin_format: bool):
    """A random PEFT LoRA (B non-zero, so it changes the outputs) on the model saved at base_dir."""
    import peft
    torch.manual_seed(seed)
    base = reload(base_dir)
    cfg = peft.LoraConfig(r=4, lora_alpha=8, target_modules=targets, lora_dropout=0.0, init_lora_weights=False)
    pm = peft.get_peft_model(base, cfg)
    pm.save_pretrained(str(d), safe_serialization=not bin_format) if not bin_format else None
    if bin_format:
        pm.save_pretrained(str(d))
        from safetensors.torch import load_file
        sd = load_file(str(d / "adapter_model.safetensors"))
        (d / "adapter_model.safetensors").unlink()
        torch.save(sd, d / "adapter_model.bin")
    (d / "README.md").unlink(missing_ok=True)  # peft's model-card template, not needed
    cfg_path = d / "adapter_config.json"
    cfg_json = json.loads(cfg_path.read_text())
    cfg_json["base_model_name_or_path"] = "hf/" + base_dir.name  # not this machine's absolute path
    cfg_path.write_text(json.dumps(cfg_json, indent=2, sort_keys=True) + "\n")
    return pm, peft.__version__


def gemma3(bpe, vocab: int) -> None:
    d = fresh("gemma3")
    tok = llama_tokenizer(bpe, d)
    save_as(base_model("gemma3", vocab, 51), d)
    run_and_save(reload(d), prompts(tok), d, {"arch": "gemma3_text", "weights": "model.safetensors F32",
                                              "tokenizer": "tokenizer.json"})


def llama_spm(vocab_size: int = 400) -> None:
    """LLaMA-1/2's tokenizer kind: a SentencePiece BPE tokenizer.model (byte fallback, dummy prefix) and the
    tokenizer.json transformers converts it to (in fast/), over the F16 llama weights of the same vocabulary size."""
    import io
    import sentencepiece as spm
    lines = [l.replace("_", " ") for l in (C.data_root() / "icl_examples.txt").read_text(encoding="utf-8").splitlines()]
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(lines + SENTENCES), model_writer=buf, model_type="bpe",
                                   vocab_size=vocab_size, byte_fallback=True, character_coverage=0.99, unk_id=0, bos_id=1,
                                   eos_id=2, pad_id=-1, num_threads=1, minloglevel=2,
                                   normalization_rule_name="identity", remove_extra_whitespaces=False)  # as LLaMA
    d = fresh("llama-spm")
    (d / "tokenizer.model").write_bytes(buf.getvalue())
    cfg = {"tokenizer_class": "LlamaTokenizer", "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
           "add_bos_token": True, "add_eos_token": False, "legacy": True}
    (d / "tokenizer_config.json").write_text(json.dumps(cfg, indent=2))
    tok = transformers.AutoTokenizer.from_pretrained(str(d))
    sp = spm.SentencePieceProcessor(model_proto=buf.getvalue())
    rows = prompts(tok)
    assert all(r["ids"] == [1] + sp.encode(r["prompt"]) for r in rows), "transformers and sentencepiece disagree"
    tok.save_pretrained(str(d / "fast"))
    for f in (d / "fast").iterdir():
        if f.name != "tokenizer.json":
            f.unlink()
    m = base_model("llama", vocab_size, 21)
    save_as(m, d, dtype=torch.float16)
    run_and_save(reload(d), rows, d, {"arch": "llama", "weights": "model.safetensors F16",
                                      "tokenizer": "SentencePiece BPE tokenizer.model (fast/: its tokenizer.json)"})


def main() -> None:
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", choices=["gemma3", "llama-spm"], help="regenerate one fixture directory only")
    args = ap.parse_args()
    ROOT.mkdir(parents=True, exist_ok=True)
    bpe = train_bpe()
    vocab = bpe.get_vocab_size()
    if args.only == "gemma3":
        gemma3(bpe, vocab)
        return
    if args.only == "llama-spm":
        llama_spm()
        return
    gemma3(bpe, vocab)
    llama_spm()

    # OPT, pre-LN, no projections; tokenizer from vocab.json + merges.txt only.
    d = fresh("opt")
    tok = opt_tokenizer(bpe, d, with_json=False)
    m = base_model("opt", vocab, 11)
    save_as(m, d)
    rows = prompts(tok)
    assert all(r["ids"][0] == 2 for r in rows), "OPT prepends </s>"
    run_and_save(reload(d), rows, d, {"arch": "opt", "weights": "model.safetensors F32", "tokenizer": "vocab.json+merges.txt"})

    # The same OPT as pytorch_model.bin (zip + pickle), tokenizer.json.
    d2 = fresh("opt-bin")
    tok2 = opt_tokenizer(bpe, d2, with_json=True)
    for f in ("vocab.json", "merges.txt"):
        (d2 / f).unlink()
    save_as(m, d2, safe=False)
    rows2 = prompts(transformers.AutoTokenizer.from_pretrained(str(d2)))
    assert rows2 == rows
    run_and_save(reload(d2), rows2, d2, {"arch": "opt", "weights": "pytorch_model.bin F32", "tokenizer": "tokenizer.json"})

    # OPT as opt-350m is built: post-LN, project_in/project_out (word_embed_proj_dim 32), sharded.
    d = fresh("opt-proj")
    tok = opt_tokenizer(bpe, d, with_json=True)
    for f in ("vocab.json", "merges.txt"):
        (d / f).unlink()
    m = base_model("opt", vocab, 12, word_embed_proj_dim=32, do_layer_norm_before=False)
    save_as(m, d, max_shard="100KB")
    run_and_save(reload(d), prompts(tok), d, {"arch": "opt", "weights": "sharded safetensors F32, post-LN, project_in/out",
                                              "tokenizer": "tokenizer.json"})

    # LLaMA in F32, F16, BF16 (outputs computed in fp32 from the stored weights).
    m = base_model("llama", vocab, 21)
    for name, dtype in (("llama", None), ("llama-f16", torch.float16), ("llama-bf16", torch.bfloat16)):
        d = fresh(name)
        tok = llama_tokenizer(bpe, d)
        save_as(m, d, dtype=dtype)
        run_and_save(reload(d), prompts(tok), d, {"arch": "llama", "weights": f"model.safetensors {dtype or 'F32'}",
                                                  "tokenizer": "tokenizer.json"})

    d = fresh("qwen2")
    tok = llama_tokenizer(bpe, d)
    save_as(base_model("qwen2", vocab, 31), d)
    run_and_save(reload(d), prompts(tok), d, {"arch": "qwen2", "weights": "model.safetensors F32", "tokenizer": "tokenizer.json"})

    # LoRA adapters: every linear of the llama (safetensors), q/v/fc1 of the OPT (.bin).
    tok = transformers.AutoTokenizer.from_pretrained(str(ROOT / "llama"))
    d = fresh("llama-lora")
    pm, pv = lora(ROOT / "llama", d, ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"], 41, False)
    run_and_save(pm, prompts(tok), d, {"arch": "llama", "base": "hf/llama", "adapter": "adapter_model.safetensors", "peft": pv})
    tok = transformers.AutoTokenizer.from_pretrained(str(ROOT / "opt"))
    d = fresh("opt-lora")
    pm, pv = lora(ROOT / "opt", d, ["q_proj", "v_proj", "fc1"], 42, True)
    run_and_save(pm, prompts(tok), d, {"arch": "opt", "base": "hf/opt", "adapter": "adapter_model.bin", "peft": pv})

    total = sum(f.stat().st_size for f in ROOT.rglob("*") if f.is_file())
    print(f"wrote {ROOT} ({total / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
