"""Shared helpers for the sentemb Python oracle (never needed at run time).

Prompt rendering follows the reference's PromptEOL template and sentence clean-up exactly; data loading follows SentEval
(whitespace split, words joined with one space).
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import random
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURE_ROOT = REPO_ROOT / "sentemb-core" / "src" / "test" / "resources" / "oracle"

# Reference template (underscore form) and the demonstration on line 16 of icl_examples.txt.
PLAIN_TEMPLATE = 'This_sentence_:_"*sent_0*"_means_in_one_word:"'
ICL_LINE = 16

MODELS = ("smollm2-135m", "qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b", "gemma3-270m")


# ---------------------------------------------------------------- paths

def data_root() -> Path:
    """Directory holding senteval/ and icl_examples.txt."""
    env = os.environ.get("SENTEMB_DATA")
    if env:
        return Path(env)
    for cand in (REPO_ROOT.parent / "shared" / "data", Path("/work/shared/data"), REPO_ROOT / "data"):
        if (cand / "senteval").is_dir():
            return cand
    raise FileNotFoundError("data directory not found; set SENTEMB_DATA")


def model_path(name: str) -> Path:
    """$SENTEMB_HOME/models/<name>.gguf (if SENTEMB_HOME is set) else ~/.cache/sentemb/models/<name>.gguf."""
    home = os.environ.get("SENTEMB_HOME")
    base = Path(home) if home else Path.home() / ".cache" / "sentemb"
    p = base / "models" / f"{name}.gguf"
    if not p.is_file():
        raise FileNotFoundError(f"model file not found: {p}")
    return p


def fixture_dir(name: str) -> Path:
    d = FIXTURE_ROOT / name
    d.mkdir(parents=True, exist_ok=True)
    return d


def sha256_file(p: Path) -> str:
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------- prompt rendering (PromptEOL)

def senteval_form(s: str) -> str:
    """SentEval splits a sentence on whitespace; the reference batcher joins words with one space."""
    return " ".join(s.split())


def clean_sentence(s: str) -> str:
    if s and s[-1] not in ".?\"'":
        s += "."
    s = s.replace('"', "'")
    if s and s[-1] == "?":
        s = s[:-1] + "."
    return s


def render(template: str, sentence: str) -> str:
    t = template.replace("_", " ").replace("*sep+*", "").replace("*cls*", "")
    return t.replace("*sent 0*", clean_sentence(sentence)).strip()


def icl_template(line_no: int = ICL_LINE) -> str:
    lines = (data_root() / "icl_examples.txt").read_text(encoding="utf-8").splitlines()
    return lines[line_no - 1].strip()


def template_for(icl: bool) -> str:
    return icl_template() if icl else PLAIN_TEMPLATE


# ---------------------------------------------------------------- data

def stsb_pairs(split: str = "test"):
    """(sent1, sent2, gold) in SentEval form, file order."""
    p = data_root() / "senteval" / "STS" / "STSBenchmark" / f"sts-{split}.csv"
    out = []
    with open(p, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            out.append((senteval_form(cols[5]), senteval_form(cols[6]), float(cols[4])))
    return out


def stsb_sentences(split: str = "test"):
    """Distinct STS-B sentences (SentEval form), order of first appearance."""
    seen = {}
    for a, b, _ in stsb_pairs(split):
        seen.setdefault(a, None)
        seen.setdefault(b, None)
    return list(seen)


def sick_sentences():
    """Distinct SICK test sentences (SentEval form), order of first appearance. File has CRLF + header."""
    p = data_root() / "senteval" / "SICK" / "SICK_test_annotated.txt"
    seen = {}
    with open(p, encoding="utf-8", newline="") as f:
        lines = f.read().splitlines()
    for line in lines[1:]:
        if not line.strip():
            continue
        cols = line.split("\t")
        seen.setdefault(senteval_form(cols[1]), None)
        seen.setdefault(senteval_form(cols[2]), None)
    return list(seen)


SEED = 20240601


def fixture_sentences():
    """The 200 oracle sentences: 150 distinct STS-B test + 50 distinct SICK test (fixed seed).

    STS-B part: forced picks first (deterministic, via a seeded RNG within each category so the
    fixture covers the clean-up rules), then seeded random fill to 150:
      10 containing '"', 6 ending with '?', 6 ending with a quote char, 20 with no final
      punctuation, 4 with non-ASCII characters, the 10 longest (by characters).
    SICK part: 50 sampled with the same seed. Each part is returned in file order.
    """
    rng = random.Random(SEED)
    sts = stsb_sentences("test")
    chosen: set[int] = set()

    def pick(pred, k):
        idx = [i for i, s in enumerate(sts) if pred(s) and i not in chosen]
        for i in rng.sample(idx, min(k, len(idx))):
            chosen.add(i)

    pick(lambda s: '"' in s[:-1], 10)
    pick(lambda s: s.endswith("?"), 6)
    pick(lambda s: s.endswith('"') or s.endswith("'"), 6)
    pick(lambda s: s and s[-1] not in ".?\"'", 20)
    pick(lambda s: any(ord(c) > 127 for c in s), 4)
    longest = sorted(range(len(sts)), key=lambda i: (-len(sts[i]), i))
    for i in [i for i in longest if i not in chosen][:10]:
        chosen.add(i)
    rest = [i for i in range(len(sts)) if i not in chosen]
    for i in rng.sample(rest, 150 - len(chosen)):
        chosen.add(i)
    sts_part = [sts[i] for i in sorted(chosen)]

    sick = [s for s in sick_sentences() if s not in set(sts_part)]
    sick_part = [sick[i] for i in sorted(rng.sample(range(len(sick)), 50))]
    out = sts_part + sick_part
    assert len(out) == 200 and len(set(out)) == 200
    return out


# ---------------------------------------------------------------- output

def save_npy(path: Path, arr) -> None:
    a = np.ascontiguousarray(np.asarray(arr, dtype="<f4"))
    np.save(path, a, allow_pickle=False)


def write_jsonl(path: Path, rows) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def read_jsonl(path: Path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def update_meta(dirpath: Path, updates: dict) -> None:
    """Merge keys into <dir>/meta.json (files map merged, not replaced)."""
    p = dirpath / "meta.json"
    meta = json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}
    files = meta.get("files", {})
    files.update(updates.pop("files", {}))
    meta.update(updates)
    meta["files"] = dict(sorted(files.items()))
    p.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def today() -> str:
    return _dt.date.today().isoformat()


def cosine_rows(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


# ---------------------------------------------------------------- models of the strategy fixtures

def tiny_llama():
    """The tiny llama checkpoint of sentemb-core's tests (hf/llama), fp32: (tokenizer, model)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    tiny = REPO_ROOT / "sentemb-core" / "src" / "test" / "resources" / "hf" / "llama"
    return (AutoTokenizer.from_pretrained(str(tiny)),
            AutoModelForCausalLM.from_pretrained(str(tiny), dtype=torch.float32).eval())


def gguf_model(name: str):
    """A registry model's GGUF, dequantized to fp32 by transformers: (tokenizer, model)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    path = model_path(name)
    return (AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name),
            AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name, dtype=torch.float32).eval())


def strategy_meta_update(section: str, per_model: dict, script: str) -> dict:
    """Puts per_model[model] under meta[model][section] in oracle/strategies/meta.json, with what made it."""
    import torch
    import transformers
    path = FIXTURE_ROOT / "strategies" / "meta.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    for model, got in per_model.items():
        meta.setdefault(model, {})[section] = got
    meta["made_" + section] = {"script": script, "date": today(), "torch": torch.__version__, "transformers": transformers.__version__}
    path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta
