"""Corpus statistics as Markdown (pasted into data/README.md by `python data/stats.py`).

    python data/stats.py > data/STATS.md
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from cotscan.data import SPLITS, is_hard_negative, load_records  # noqa: E402


def table(rows, header):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def main() -> None:
    recs = load_records()
    by = {s: [r for r in recs if r["split"] == s] for s in SPLITS}
    print("## Statistics\n")
    rows = []
    for s in (*SPLITS, "all"):
        rr = recs if s == "all" else by[s]
        pairs = Counter(r["pair_id"] for r in rr if r["pair_id"])
        cp = Counter(r["condition_pair_id"] for r in rr if r["condition_pair_id"])
        rows.append([s, len(rr), sum(r["label"] for r in rr), sum(is_hard_negative(r) for r in rr),
                     sum(r["category"] == "neg_ordinary" for r in rr),
                     sum(v == 2 for v in pairs.values()), sum(v == 2 for v in cp.values()),
                     len({r["scenario"] for r in rr}),
                     sum(r["source"] == "authored" for r in rr),
                     sum(r["source"] == "generated" for r in rr),
                     sum(r["source"] == "augmented" for r in rr),
                     sum(len(r["text"]) > 6000 for r in rr)])
    print(table(rows, ["split", "records", "positives", "hard negatives", "ordinary negatives",
                       "minimal pairs", "condition pairs", "families", "authored", "generated",
                       "augmented", "> 6,000 chars"]))
    print("\n### By category\n")
    cats = sorted({r["category"] for r in recs})
    print(table([[c] + [sum(r["category"] == c for r in by[s]) for s in SPLITS] +
                 [sum(r["category"] == c and r["source"] == "authored" for r in recs)]
                 for c in cats], ["category", *SPLITS, "authored (all splits)"]))
    print("\n### By style\n")
    styles = sorted({r["style"] for r in recs})
    print(table([[st] + [sum(r["style"] == st for r in by[s]) for s in SPLITS] +
                 [sum(r["style"] == st and r["label"] == 1 for r in recs)]
                 for st in styles], ["style", *SPLITS, "positives (all)"]))
    print("\n### By length (characters)\n")
    bins = [(0, 800), (800, 2000), (2000, 4000), (4000, 6000), (6000, 10000), (10000, 10 ** 9)]
    print(table([[f"{a:,}–{b:,}" if b < 10 ** 9 else f"≥ {a:,}"] +
                 [sum(a <= len(r["text"]) < b for r in by[s]) for s in SPLITS] +
                 [sum(a <= len(r["text"]) < b and r["label"] == 1 for r in recs)]
                 for a, b in bins], ["length", *SPLITS, "positives (all)"]))
    print("\n### Condition × behaviour (authored records)\n")
    cb = Counter((r["condition"], r["behavior"]) for r in recs if r["source"] == "authored")
    behs = ["complied", "partial", "refused", "n/a"]
    print(table([[c] + [cb[(c, b)] for b in behs] for c in ("training", "unmonitored", "none")],
                ["condition", *behs]))
    L = sorted(len(r["text"]) for r in recs)
    print(f"\nLength: min {L[0]:,}, median {L[len(L) // 2]:,}, max {L[-1]:,} characters. "
          f"Writers: {len({r['writer'] for r in recs})}.")


if __name__ == "__main__":
    main()
