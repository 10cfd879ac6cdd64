"""Does the detector find the motive when it is stated in plain words? Held-out positives of
validation (writer a7) or test (writer a8) with only their evidence sentences restated in the
plain register (data/augment/BRIEF_PLAIN_REGISTER.md), scored next to the originals and the
split's negatives. Never trained on; the test file is for final evaluation only.

    python benchmarks/plain_register.py MODEL [MODEL ...] [--split validation|test] [--json out]
"""
import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FILES = {"validation": "a7.jsonl", "test": "a8.jsonl"}


def load_pairs(split: str, records: list[dict]) -> list[tuple[dict, dict]]:
    """(original, plain-register rewrite) for every edited positive of ``split``."""
    from cotscan.data import rewritten

    by_id = {r["id"]: r for r in records}
    path = ROOT / "data" / "augment" / "plain_register_eval" / FILES[split]
    edits = [json.loads(x) for x in path.open(encoding="utf-8")]
    return [(by_id[e["id"]], rewritten(by_id[e["id"]], e["edits"])) for e in edits]


def metrics(orig: np.ndarray, rew: np.ndarray, neg: np.ndarray, threshold: float) -> dict:
    """Originals vs rewrites of the same positives, each ranked against the same negatives."""
    from cotscan.metrics import auroc

    def vs_neg(pos):
        return auroc(np.r_[np.ones(len(pos)), np.zeros(len(neg))], np.r_[pos, neg])

    return {"n": int(len(orig)), "n_negatives": int(len(neg)),
            "original_median": float(np.median(orig)), "rewrite_median": float(np.median(rew)),
            "original_flagged": float((orig >= threshold).mean()),
            "rewrite_flagged": float((rew >= threshold).mean()),
            "rewrite_lower_by_0.3": float((rew < orig - 0.3).mean()),
            "original_auroc_vs_negatives": vs_neg(orig), "rewrite_auroc_vs_negatives": vs_neg(rew)}


def measure(model: str, split: str) -> dict:
    from cotscan import Scanner
    from cotscan.data import load_records

    records = load_records(split)
    pairs = load_pairs(split, records)
    negs = [r for r in records if r["label"] == 0]
    s = Scanner(model)
    sc = [x.score for x in s.score_many([o["text"] for o, _ in pairs] + [w["text"] for _, w in pairs]
                                        + [r["text"] for r in negs])]
    n = len(pairs)
    out = metrics(np.array(sc[:n]), np.array(sc[n:2 * n]), np.array(sc[2 * n:]),
                  s.model.calibration.threshold)
    return {"model": s.name, "split": split, **out}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("models", nargs="+")
    ap.add_argument("--split", default="validation", choices=sorted(FILES))
    ap.add_argument("--json")
    a = ap.parse_args()
    rows = [measure(m, a.split) for m in a.models]
    print(f"plain-register rewrites of {rows[0]['n']} {a.split} positives "
          f"(against the split's {rows[0]['n_negatives']} negatives)")
    print(f"{'':34s} " + " ".join(f"{r['model']:>26s}" for r in rows))
    for k in ("original_median", "rewrite_median", "original_flagged", "rewrite_flagged",
              "rewrite_lower_by_0.3", "original_auroc_vs_negatives", "rewrite_auroc_vs_negatives"):
        print(f"{k:34s} " + " ".join(f"{r[k]:26.3f}" for r in rows))
    if a.json:
        Path(a.json).write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
