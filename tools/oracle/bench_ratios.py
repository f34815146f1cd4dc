"""Prints the throughput table and ratios of one bench-peers run.

Reads the JSON lines that `sentemb bench` and bench_peers.py wrote (one file, any order) and prints,
per (model, template), each peer's sentences/s, CPU seconds where known, and sentemb's ratio to each
peer. Usage: python bench_ratios.py results.jsonl
"""
from __future__ import annotations

import json
import sys


def key(r):
    icl = r.get("icl")
    if icl is None:  # sentemb's line names its template
        icl = r.get("template", "eol") != "eol"
    return r["model"], "icl" if icl else "plain"


def main(path):
    rows = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip().startswith("{")]
    groups = {}
    for r in rows:
        groups.setdefault(key(r), []).append(r)
    print(f"{'model':14s} {'template':8s} {'peer':10s} {'sent':>5s} {'sent/s':>8s} {'wall s':>7s} {'cpu s':>7s} {'tok/s':>7s} {'load':>5s}  sentemb ×")
    for (model, tmpl), rs in groups.items():
        ours = [r for r in rs if r["peer"] == "sentemb"]
        base = ours[-1]["sentences_per_s"] if ours else None
        for r in rs:
            tok = r.get("tokens_represented_per_s", r.get("tokens_per_s", 0))
            ratio = "" if base is None or r["peer"] == "sentemb" else f"{base / r['sentences_per_s']:.2f}"
            cpu = r.get("cpu_s")
            print(f"{model:14s} {tmpl:8s} {r['peer']:10s} {r['sentences']:5d} {r['sentences_per_s']:8.2f} {r['wall_s']:7.1f} "
                  f"{'' if cpu is None else format(cpu, '.1f'):>7s} {tok:7.0f} {r.get('loadavg_at_end', 0):5.1f}  {ratio}")


if __name__ == "__main__":
    main(sys.argv[1])
