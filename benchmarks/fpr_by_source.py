"""Models side by side on the test split: AUROC, also by part (before / in the seventh wave,
authored records / long composites), false positives at each model's own operating
threshold, and where they come from (writer wave or long composite, category).
Evaluation only: nothing here feeds a threshold or a training decision.

    python benchmarks/fpr_by_source.py /tmp/m12/models/cotscan-minilm-v1 models/cotscan-minilm-v1
"""
import sys
from collections import Counter

from cotscan import Scanner
from cotscan.data import load_records
from cotscan.metrics import auroc, bootstrap_ci

LATE_WAVES = "def"  # waves added to the test split with model 1.3.0 (d, e) and 1.3.2 (f)


def source(r: dict) -> str:
    """Writer wave of an authored record or its twin; "long" for a generated composite
    ("long-f" for the held-out wave's own composites)."""
    if r["source"] == "authored" or "twin" in r["id"]:
        return r["writer"][0]
    return "long-f" if r["writer"].startswith("f") else "long"


def main() -> None:
    test = load_records("test")
    for m in sys.argv[1:]:
        s = Scanner(m)
        res = list(s.score_many(r["text"] for r in test))
        neg = [(r, x) for r, x in zip(test, res) if r["label"] == 0]
        flagged = [r for r, x in neg if x.flagged]
        old = [(r, x) for r, x in zip(test, res) if r["writer"][0] not in LATE_WAVES]
        print(s.name, "AUROC", round(auroc([r["label"] for r in test], [x.score for x in res]), 4),
              "FPR", len(flagged), "/", len(neg), round(len(flagged) / len(neg), 4),
              f"| records before waves {'/'.join(LATE_WAVES)}:",
              round(auroc([r["label"] for r, _ in old], [x.score for _, x in old]), 4),
              "FPR", sum(x.flagged for r, x in old if r["label"] == 0), "/",
              sum(r["label"] == 0 for r, _ in old))
        print("  flagged negatives by wave:", dict(Counter(map(source, flagged))),
              "of", dict(Counter(source(r) for r, _ in neg)))
        print("  by category:", Counter(r["category"] for r in flagged))
        parts = {"before wave g": lambda r: not r["writer"].startswith("g"),
                 "wave g": lambda r: r["writer"].startswith("g"),
                 "authored and twins": lambda r: not source(r).startswith("long"),
                 "long composites": lambda r: source(r).startswith("long")}
        for name, keep in parts.items():
            sub = [(r["label"], x.score) for r, x in zip(test, res) if keep(r)]
            if len({y for y, _ in sub}) == 2:
                ys, ps = [y for y, _ in sub], [p for _, p in sub]
                a, lo, hi = bootstrap_ci(auroc, ys, ps, n=1000, stratify=ys)
                print(f"  {name} ({len(sub)}): AUROC {a:.4f} [{lo:.3f}, {hi:.3f}]")
        f = [(r, x) for r, x in zip(test, res) if r["writer"].startswith("f")]
        if f:
            yf = [r["label"] for r, _ in f]
            a, lo, hi = bootstrap_ci(auroc, yf, [x.score for _, x in f], n=1000, stratify=yf)
            print("  held-out wave f (families no decision has seen): AUROC", round(a, 4),
                  f"[{lo:.3f}, {hi:.3f}]", "FPR",
                  sum(x.flagged for r, x in f if r["label"] == 0), "/",
                  sum(r["label"] == 0 for r, _ in f), "TPR",
                  sum(x.flagged for r, x in f if r["label"] == 1), "/",
                  sum(r["label"] == 1 for r, _ in f))


if __name__ == "__main__":
    main()
