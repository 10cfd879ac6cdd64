"""Two models side by side on the test split: AUROC, false positives at each model's own
operating threshold, and where they come from (writer wave, composite or not, category).
Evaluation only: nothing here feeds a threshold or a training decision.

    python benchmarks/fpr_by_source.py /tmp/m12/models/cotscan-minilm-v1 models/cotscan-minilm-v1
"""
import sys
import json, collections
from cotscan import Scanner
from cotscan.data import load_records
from cotscan.metrics import auroc
test = load_records("test")
for m in sys.argv[1:]:
    s = Scanner(m)
    res = list(s.score_many(r["text"] for r in test))
    y = [r["label"] for r in test]; sc = [x.score for x in res]
    neg = [(r, x) for r, x in zip(test, res) if r["label"] == 0]
    fl = [(r["id"], r["category"], round(x.score, 3)) for r, x in neg if x.flagged]
    byw = collections.Counter(r["writer"][0] if r["source"] == "authored" or "twin" in r["id"] else "long" for r, x in neg if x.flagged)
    nw = collections.Counter(r["writer"][0] if r["source"] == "authored" or "twin" in r["id"] else "long" for r, x in neg)
    old = [(r["label"], x.score, x.flagged) for r, x in zip(test, res) if r["writer"][0] not in "de"]
    print(s.name, "AUROC", round(auroc(y, sc), 4), "FPR", len(fl), "/", len(neg), round(len(fl) / len(neg), 4),
          "| on the 1.2.0-era records (not d/e):", round(auroc([a for a, _, _ in old], [b for _, b, _ in old]), 4),
          "FPR", sum(f for a, _, f in old if a == 0), "/", sum(a == 0 for a, _, _ in old))
    print("  flagged negatives by wave:", dict(byw), "of", dict(nw))
    print("  by category:", collections.Counter(c for _, c, _ in fl))
