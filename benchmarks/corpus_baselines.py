"""Bag-of-words and keyword baselines on the corpus test split, its hard-negative subset and
its authored-only subset, and on the external real-transcript benchmark (evaluation only).

    python benchmarks/corpus_baselines.py [--json out.json]

The TF-IDF + logistic regression model is trained on the corpus *train* split only.
"""
import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from cotscan import metrics as M  # noqa: E402
from cotscan.baselines import KeywordBaseline, TfidfBaseline  # noqa: E402
from cotscan.data import is_hard_negative, load_records, read_jsonl  # noqa: E402

BENCH = ROOT.parent / "shared" / "benchmarks" / "redwood_novel_200.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json")
    a = ap.parse_args()
    train, test = load_records("train"), load_records("test")
    tfidf = TfidfBaseline().fit([r["text"] for r in train], [r["label"] for r in train])
    kw = KeywordBaseline().fit()
    sets = {"test": test,
            "test hard-negative subset": [r for r in test if r["label"] or is_hard_negative(r)],
            "test authored only": [r for r in test if r["source"] == "authored"],
            "test sixth wave (new families)": [r for r in test if r["writer"].startswith("f")],
            "test seventh wave (plain link)": [r for r in test if r["writer"].startswith("g")]}
    if BENCH.exists():
        sets["redwood_novel_200 (external)"] = read_jsonl(BENCH)
    out = {}
    print(f"{'set':<32}{'n':>5}  {'TF-IDF+LR AUROC':>24}  {'keyword AUROC':>24}")
    for name, recs in sets.items():
        y = [r["label"] for r in recs]
        X = [r["text"] for r in recs]
        row = {}
        for label, est in (("tfidf", tfidf), ("keyword", kw)):
            row[label] = M.bootstrap_ci(M.auroc, y, est.decision_function(X), n=1000, stratify=y)
        out[name] = {"n": len(recs), **row}
        f = lambda t: f"{t[0]:.3f} [{t[1]:.3f}, {t[2]:.3f}]"  # noqa: E731
        print(f"{name:<32}{len(recs):>5}  {f(row['tfidf']):>24}  {f(row['keyword']):>24}")
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
