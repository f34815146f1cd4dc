"""Writes the tokenizer parity fixtures for sentemb-core's byte-level BPE tests.

The oracle is what HF transformers builds from each GGUF (AutoTokenizer.from_pretrained with
gguf_file=...), since that is the reference our embeddings are compared against. Outputs, all under
sentemb-core/src/test/resources/tokenizer/:

  <model>.jsonl.gz        {"text": ..., "ids": [...]} a line: every distinct STS-B and SICK sentence
                          rendered as a PromptEOL prompt, a few hundred raw sentences, and a hard
                          Unicode set. ids are encode(text) with the tokenizer's default special
                          tokens; "plain" lines also carry "ids_plain" (add_special_tokens=False).
  gpt2.jsonl.gz           the hard set for GPT-2 built from ../shared/tokenizers/gpt2 (encoder.json,
                          vocab.bpe), checked against a bare tokenizers BPE built the same way.
  unicode_classes.txt.gz  how the tokenizers library's regex engine (Oniguruma) classifies every
                          code point: ranges "start end class" with class L (\\p{L}), N (\\p{N}) or
                          S (\\s); code points in no range are "other". Lets the Java splitter be
                          checked on all of Unicode, not just on the samples.

Run with the oracle venv:  /root/.cache/sentemb-oracle/venv/bin/python tools/oracle/tokenizer_fixtures.py
"""

import gzip
import json
import os
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "sentemb-core/src/test/resources/tokenizer"
SHARED = Path(os.environ.get("SENTEMB_SHARED", REPO.parent / "shared"))
if not (SHARED / "data").is_dir():
    SHARED = Path("/work/shared")
MODELS = Path(os.environ.get("SENTEMB_HOME", Path.home() / ".cache/sentemb")) / "models"

HARD = [
    "",
    " ",
    "  ",
    "\t",
    "\n",
    "a",
    "Hello world",
    "Hello, world! How are you?",
    "  leading and trailing spaces  ",
    "runs   of    spaces     here",
    " " * 40 + "x",
    "x" + " " * 17,
    "tabs\tbetween\t\twords\t",
    "line one\nline two\n\nline four\r\nwindows\rmac",
    "\n\n\n",
    " \n \n  \t\n x",
    "digits 1234567 and 12 and 123 and 1234 and 3.14159 and 1,000,000",
    "1234567",
    " 1234567",
    "phone: +1 (555) 123-4567",
    "I'm, you're, he's, we've, they'll, I'd, don't",
    "I'M, YOU'RE, HE'S, WE'VE, THEY'LL, I'D, DON'T",
    "'S 'LL 'Re 'vE 'T 'D 'M",
    "'s'll're've't'd'm",
    "rock 'n' roll ''quoted'' '''",
    "a'ſ x a'ſt 'K 'K",
    "<|endoftext|>",
    "text<|endoftext|>more text",
    "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n",
    "<|endoftext|><|endoftext|> <|endoftext|>",
    "<|endoftext",
    "<|im_start|",
    "<tool_call>{\"name\": \"f\"}</tool_call>",
    "<repo_name>x<file_sep>y<|fim_prefix|>z<|fim_middle|>",
    "[PAD151665] <|vision_pad|>",
    "emoji: 😀😃😄 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 ❤️",
    "👩🏿‍💻 at work, 🧑🏼‍🚀 in space",
    "combining: e\u0301 a\u0308 n\u0303 \u0041\u030A Z\u0335\u0321\u0354a\u0337\u0322l\u0334g\u0338o",
    "café naïve résumé Ångström",
    "中文分词测试：我爱北京天安门。",
    "日本語のテキスト、カタカナとひらがな。",
    "한국어 텍스트입니다.",
    "العربية: مرحبا بالعالم",
    "हिन्दी में पाठ: नमस्ते दुनिया",
    "Ελληνικά και Русский текст",
    "non-BMP: 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛 𐍈 🀄 𠀀𠀁",
    "math: ∑ x² ≤ ∞, α+β=γ, ½ ¼ Ⅻ",
    "nbsp:\u00a0here and\u2009thin\u2003em\u3000ideographic",
    "zero\u200bwidth\u200cjoiner\u200d\ufeffbom",
    "control \x00\x01\x1b[31mred\x1b[0m \x7f \x85 \x1c\x1d",
    "bytes SmolLM2 lacks: a\x04b \x06\x13\x14\x16\x1d end\x04",
    "\x04",
    "line\u2028separator\u2029paragraph",
    "code: def f(x):\n    return x ** 2  # square\n",
    "if (a != b && c <= d) { return -1; }",
    "URL https://example.com/path?q=1&r=two#frag",
    "email someone@example.org",
    "!!!???...,,,;;;:::",
    "\"double quotes\" and 'single quotes'",
    "$100.00 €50 £20 ¥1000",
    "a" * 300,
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "CamelCaseIdentifier snake_case_identifier kebab-case-identifier",
    "MiXeD CaSe WoRdS",
    "\u00ad soft hyphen",
    "ﬁ ligature ﬆ",
]


def sentences_stsb():
    out = []
    for split in ("train", "dev", "test"):
        path = SHARED / f"data/senteval/STS/STSBenchmark/sts-{split}.csv"
        with open(path, encoding="utf-8") as f:
            for line in f:
                cols = line.strip().split("\t")
                out.append(cols[5].split())
                out.append(cols[6].split())
    return out


def sentences_sick():
    out = []
    for name in ("SICK_train.txt", "SICK_trial.txt", "SICK_test_annotated.txt"):
        path = SHARED / f"data/senteval/SICK/{name}"
        with open(path, encoding="utf-8") as f:
            next(f)
            for line in f:
                cols = line.strip().split("\t")
                out.append(cols[1].split())
                out.append(cols[2].split())
    return out


def prompt(words):
    """PromptEOL as the reference builds it: SentEval join, clean-up, then the template."""
    s = " ".join(words)
    if s and s[-1] not in ".?\"'":
        s += "."
    s = s.replace('"', "'")
    if s.endswith("?"):
        s = s[:-1] + "."
    template = 'This_sentence_:_"*sent_0*"_means_in_one_word:"'.replace("_", " ")
    return template.replace("*sent 0*", s).strip()


def distinct(items):
    seen, out = set(), []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def corpus():
    words = sentences_stsb() + sentences_sick()
    prompts = distinct(prompt(w) for w in words)
    raw = distinct(" ".join(w) for w in words)
    rng = random.Random(1234)
    raw_sample = rng.sample(raw, 300)
    return prompts, raw_sample


def write_jsonl(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{path.relative_to(REPO)}: {len(rows)} lines, {path.stat().st_size} bytes", file=sys.stderr)


def model_fixture(name, prompts, raw):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(MODELS), gguf_file=f"{name}.gguf")
    rows = []
    for kind, texts in (("prompt", prompts), ("raw", raw), ("hard", HARD)):
        for text in texts:
            ids = tok.encode(text)
            row = {"kind": kind, "text": text, "ids": ids}
            plain = tok.encode(text, add_special_tokens=False)
            if plain != ids:
                row["ids_plain"] = plain
            if kind == "hard":
                row["decoded"] = tok.decode(ids)
            rows.append(row)
    write_jsonl(OUT / f"{name}.jsonl.gz", rows)


def gpt2_merges(vocab):
    """vocab.bpe's merges, less the ones HF cannot load.

    The shared copy (from huplay/gpt2-demo) has 4 lines where a refactoring tool rewrote "Main"
    into "ai.learn.gpt2.Main"; HF tokenizers refuses those (token out of vocabulary) and so would
    we. They are dropped here, and the Java test drops exactly the same ones.
    """
    d = SHARED / "tokenizers/gpt2"
    lines = (d / "vocab.bpe").read_text(encoding="utf-8").split("\n")[1:]
    merges, dropped = [], []
    for line in filter(None, lines):
        a, b = line.split(" ")
        (merges if a in vocab and b in vocab and a + b in vocab else dropped).append((a, b))
    if len(dropped) != 4:
        raise SystemExit(f"expected the 4 known corrupted GPT-2 merges, found {len(dropped)}: {dropped[:10]}")
    return merges


def gpt2_fixture():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import GPT2Tokenizer

    d = SHARED / "tokenizers/gpt2"
    vocab = json.loads((d / "encoder.json").read_text(encoding="utf-8"))
    merges = gpt2_merges(vocab)
    fast = GPT2Tokenizer(vocab=vocab, merges=merges)
    bare = Tokenizer(models.BPE(vocab, merges))
    bare.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bare.decoder = decoders.ByteLevel()
    bare.add_special_tokens(["<|endoftext|>"])  # GPT2Tokenizer's default bos/eos/unk
    rows = []
    for text in HARD + ["The quick brown fox jumps over the lazy dog.", "GPT-2 tokenizer test 2019"]:
        ids = fast.encode(text)
        other = bare.encode(text).ids
        if ids != other:
            raise SystemExit(f"GPT2Tokenizer and a bare tokenizers BPE disagree on {text!r}: {ids} vs {other}")
        rows.append({"kind": "hard", "text": text, "ids": ids, "decoded": fast.decode(ids)})
    write_jsonl(OUT / "gpt2.jsonl.gz", rows)


def unicode_classes():
    """Code point classes as the tokenizers library's regex engine sees them (see module doc)."""
    from tokenizers import Regex, pre_tokenizers

    cps = [c for c in range(0x110000) if not (0xD800 <= c <= 0xDFFF)]
    text = "".join(map(chr, cps))
    cls = {}
    for name, rx in (("L", r"\p{L}"), ("N", r"\p{N}"), ("S", r"\s")):
        kept = bytearray(len(cps))
        for _, (b, e) in pre_tokenizers.Split(Regex(rx), behavior="removed").pre_tokenize_str(text):
            kept[b:e] = b"\x01" * (e - b)
        for i, k in enumerate(kept):
            if not k:
                if cps[i] in cls:
                    raise SystemExit(f"code point {cps[i]:X} is both {cls[cps[i]]} and {name}")
                cls[cps[i]] = name
    ranges = []
    for cp in sorted(cls):
        c = cls[cp]
        if ranges and ranges[-1][2] == c and ranges[-1][1] + 1 == cp:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp, c])
    path = OUT / "unicode_classes.txt.gz"
    with gzip.open(path, "wt", encoding="ascii", compresslevel=9) as f:
        f.write("# start end class (hex, inclusive); L=\\p{L} N=\\p{N} S=\\s in Oniguruma as used by HF tokenizers\n")
        for a, b, c in ranges:
            f.write(f"{a:X} {b:X} {c}\n")
    print(f"{path.relative_to(REPO)}: {len(ranges)} ranges, {path.stat().st_size} bytes", file=sys.stderr)


def main():
    prompts, raw = corpus()
    print(f"{len(prompts)} distinct prompts, {len(raw)} raw sentences, {len(HARD)} hard strings", file=sys.stderr)
    for name in ("smollm2-135m", "qwen2.5-coder-0.5b"):
        model_fixture(name, prompts, raw)
    gpt2_fixture()
    unicode_classes()


if __name__ == "__main__":
    main()
