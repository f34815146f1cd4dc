"""Reference MetaEOL embeddings (Lei et al. 2024, "Meta-Task Prompting Elicits Embeddings from Large Language
Models"), computed as the authors' evaluation.py computes them (Yibin-Lei/MetaEOL @ c62096d; its batcher is
re-implemented here, the prompts copied as data): the sentence gets PromptEOL's clean-up (a final '.' unless it
ends in . ? " ', '"' to "'", a final '?' to '.'), goes into each of the eight meta-task prompts ('*sent 0*'
replaced, then strip()), each prompt's hidden_states[-1][:, -1] (the final norm's output at the last token) is
taken and the eight are averaged. Each prompt runs alone (no padding), as every other fixture here.

Models: the tiny llama checkpoint of sentemb-core's tests (hf/llama) and smollm2-135m (the GGUF, dequantized to
fp32 by transformers). Sentences: the first 50 oracle sentences (common.fixture_sentences).

Writes sentemb-core/src/test/resources/oracle/strategies/<model>/metaeol.jsonl ({"text"}, and for the first five
sentences "prompts" and "ids", the ids of each prompt) and metaeol.mean.npy (float32 [50, d]); adds "metaeol" to each model in strategies/meta.json.

Usage: python metaeol_fixtures.py [--threads 2]
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

PROMPTS = [
    "In this task, you're presented with a text excerpt. Your task is to categorize the excerpt into a broad category such as 'Education', 'Technology', 'Health', 'Business', 'Environment', 'Politics', or 'Culture'. These categories help in organizing content for better accessibility and targeting. For this task, this sentence : \"*sent 0*\" should be classified under one general category in one word:\"",
    "In this task, you're given a statement and you need to determine whether it's presenting an 'Opinion' or a 'Fact'. This distinction is vital for information verification, educational purposes, and content analysis. For this task, this sentence : \"*sent 0*\" discriminates between opinion and fact in one word:\"",
    "In this task, you're given a review from an online platform. Your task is to generate a rating for the product based on the review on a scale of 1-5, where 1 means 'extremely negative' and 5 means 'extremely positive'. For this task, this sentence : \"*sent 0*\" reflects the sentiment in one word:\"",
    "In this task, you're reading a personal diary entry. Your task is to identify the predominant emotion expressed, such as joy, sadness, anger, fear, or love. For this task, this sentence : \"*sent 0*\" conveys the emotion in one word:\"",
    "In this task, you're presented with two sentences. Your task is to assess whether the sentences convey the same meaning. Use 'identical', 'similar', 'different', or 'unrelated' to describe the relationship. To enhance the performance of this task, this sentence : \"*sent 0*\" means in one word:\"",
    "In this task, you're given a sentence and a phrase. Your task is to determine if the phrase can be a contextual synonym within the given sentence. Options include 'yes', 'no', or 'partially'. To enhance the performance of this task, this sentence : \"*sent 0*\" means in one word:\"",
    "In this task, you're examining a news article. Your task is to extract the most critical fact from the article. For this task, this sentence : \"*sent 0*\" encapsulates the key fact in one word:\"",
    "In this task, you're reviewing a scientific abstract. Your task is to identify the main entities (e.g., proteins, diseases) and their relations (e.g., causes, treats). For this task, this sentence : \"*sent 0*\" highlights the primary entity or relation in one word:\"",
]


def run(tok, model, sentences, out_dir):
    rows, vecs = [], []
    for s in sentences:
        cleaned = C.clean_sentence(s)
        prompts = [p.replace("*sent 0*", cleaned).strip() for p in PROMPTS]
        outs, ids_all = [], []
        for prompt in prompts:
            ids = tok(prompt)["input_ids"]
            with torch.no_grad():
                out = model(input_ids=torch.tensor([ids]), output_hidden_states=True)
            outs.append(out.hidden_states[-1][0, -1])
            ids_all.append(ids)
        vecs.append(torch.stack(outs).mean(dim=0).float().numpy())
        # prompts and ids of the first five sentences only: eight long prompts a sentence would make the file large
        rows.append({"text": s, "prompts": prompts, "ids": ids_all} if len(rows) < 5 else {"text": s})
    C.write_jsonl(out_dir / "metaeol.jsonl", rows)
    C.save_npy(out_dir / "metaeol.mean.npy", np.stack(vecs).astype(np.float32))
    return {"prompts": len(PROMPTS), "hidden_states_index": -1, "combine": "mean over the prompts", "sentences": len(rows)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    sentences = C.fixture_sentences()[:50]
    root = C.FIXTURE_ROOT / "strategies"
    meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))

    tiny = C.REPO_ROOT / "sentemb-core" / "src" / "test" / "resources" / "hf" / "llama"
    tok = AutoTokenizer.from_pretrained(str(tiny))
    model = AutoModelForCausalLM.from_pretrained(str(tiny), dtype=torch.float32).eval()
    meta["llama"]["metaeol"] = run(tok, model, sentences, root / "llama")

    path = C.model_path("smollm2-135m")
    tok = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
    model = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name, dtype=torch.float32).eval()
    meta["smollm2-135m"]["metaeol"] = run(tok, model, sentences, root / "smollm2-135m")
    meta["made_metaeol"] = {"script": "tools/oracle/metaeol_fixtures.py", "date": C.today(), "torch": torch.__version__,
                            "transformers": transformers.__version__}
    (root / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(meta["made_metaeol"], indent=2))


if __name__ == "__main__":
    sys.exit(main())
