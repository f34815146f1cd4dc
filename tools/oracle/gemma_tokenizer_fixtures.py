"""Writes the tokenizer parity fixture for gemma3-270m (SentencePiece-style, `tokenizer.ggml.model` = llama).

Same corpus and row format as tokenizer_fixtures.py (every distinct STS-B and SICK prompt, 300 raw
sentences, the hard Unicode set), plus strings that exercise what only a SentencePiece vocabulary
has: runs of spaces (stored as real spaces in the file), byte fallback, newline tokens matched
whole, control tokens written in text, and a literal U+2581. Output:
sentemb-core/src/test/resources/tokenizer/gemma3-270m.jsonl.gz

Run with the oracle venv:  /root/.cache/sentemb-oracle/venv/bin/python tools/oracle/gemma_tokenizer_fixtures.py
"""

import sys

import tokenizer_fixtures as T

NAME = "gemma3-270m"

GEMMA_HARD = [
    "a  b   c    d     e",
    " " * 31 + "x" + " " * 33,
    "\n",
    "\n\n\n\n a\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n",
    "\u2581 literal lower one eighth block \u2581\u2581x",
    "<bos>Hello<eos><pad><unk><mask>",
    "<start_of_turn>user\nhi<end_of_turn>\n<start_of_turn>model\n",
    "<unused0><unused6241> [multimodal] <start_of_image><end_of_image>",
    "<bo s> <start_of_turn",
    "</div></span> <div> html tags",
    "\t\t\ttabs\t",
    "\r\n\r\n",
    "\x00\x01\x02 \x7f \U0010ffff \ue000 private use",
    "ꙮ ᚠᛇᚻ ⠁⠃⠉ 𓀀 rare scripts",
    "ＦＵＬＬＷＩＤＴＨ ｶﾀｶﾅ",
]


def main():
    from transformers import AutoTokenizer

    prompts, raw = T.corpus()
    tok = AutoTokenizer.from_pretrained(str(T.MODELS), gguf_file=f"{NAME}.gguf")
    rows = []
    for kind, texts in (("prompt", prompts), ("raw", raw), ("hard", T.HARD + GEMMA_HARD)):
        for text in texts:
            ids = tok.encode(text)
            row = {"kind": kind, "text": text, "ids": ids}
            plain = tok.encode(text, add_special_tokens=False)
            if plain != ids:
                row["ids_plain"] = plain
            if kind == "hard":
                row["decoded"] = tok.decode(ids)
            rows.append(row)
    T.write_jsonl(T.OUT / f"{NAME}.jsonl.gz", rows)
    print(f"{len(rows)} rows", file=sys.stderr)


if __name__ == "__main__":
    main()
