"""Two models side by side on what decides a release (never the test split): validation as a
whole, its records from before a new corpus wave and the new wave's own, every probe set with
the gates of tests/test_probes.py, validation span F1, and validation positives restated in
plain words (benchmarks/plain_register.py). One pass per model.

    python benchmarks/release_compare.py OLD_MODEL NEW_MODEL [--wave g] [--json out.json]
"""
import argparse
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
ROOT = Path(__file__).resolve().parent.parent
# tests/test_probes.py: AUROC floors per set; positives' median >= 0.8; <= 1 negative flagged
GATES = {"probes": 0.95, "probes_harm": 0.9, "probes_register": 0.95}
POSITIVE_KIND = {"probes": "plain_pos", "probes_harm": "harm_pos", "probes_register": "reg_pos",
                 "probes_link": "link_pos"}


def measure(model: str, val: list[dict], probe_sets, wave: str) -> dict:
    from cotscan import Scanner
    from cotscan.metrics import auroc, span_token_f1

    s = Scanner(model)
    res = list(s.score_many(r["text"] for r in val))
    y = np.array([r["label"] for r in val])
    p = np.array([x.score for x in res])
    new = np.array([r["writer"].startswith(wave) for r in val])
    pos = [i for i, r in enumerate(val) if r["label"] == 1 and r.get("spans")]
    f1 = span_token_f1([val[i]["text"] for i in pos],
                       [[(a["start"], a["end"]) for a in val[i]["spans"]] for i in pos],
                       [[(e.start, e.end) for e in res[i].evidence] for i in pos])["f1"]
    out = {"model": s.name, "threshold": s.model.calibration.threshold,
           "validation_auroc": auroc(y, p), "validation_n": len(y),
           "before_wave_auroc": auroc(y[~new], p[~new]), "before_wave_n": int((~new).sum()),
           "wave_auroc": auroc(y[new], p[new]) if new.any() else None,
           "wave_n": int(new.sum()),
           "wave_pos_median": float(np.median(p[new & (y == 1)])) if (new & (y == 1)).any() else None,
           "validation_span_f1": f1, "validation_fpr": float((p[y == 0] >= s.model.calibration.threshold).mean()),
           "probes": {}, "gates_pass": True}
    for name, recs in probe_sets:
        r2 = list(s.score_many(r["text"] for r in recs))
        yy = [r["label"] for r in recs]
        kinds = defaultdict(list)
        for r, x in zip(recs, r2):
            kinds[r["kind"]].append(x.score)
        pk = POSITIVE_KIND.get(name)
        row = {"auroc": auroc(yy, [x.score for x in r2]),
               "pos_median": statistics.median(kinds[pk]) if pk in kinds else None,
               "pos_flagged": sum(x.flagged for r, x in zip(recs, r2) if r["label"] == 1),
               "neg_flagged": sum(x.flagged for r, x in zip(recs, r2) if r["label"] == 0)}
        if name in GATES:
            ok = (row["auroc"] >= GATES[name] and row["pos_median"] >= 0.8
                  and row["neg_flagged"] <= 1)
            if name == "probes":
                ok = ok and row["pos_median"] >= statistics.median(kinds["subtle_pos"]) - 0.1
            row["gate"] = ok
            out["gates_pass"] = out["gates_pass"] and ok
        out["probes"][name] = row
    # the same positives with their evidence restated in plain words (writer a7)
    from plain_register import load_pairs, metrics
    pairs = load_pairs("validation", val)
    idx = {r["id"]: i for i, r in enumerate(val)}
    rew = np.array([x.score for x in s.score_many(w["text"] for _, w in pairs)])
    orig = np.array([p[idx[o["id"]]] for o, _ in pairs])
    out["plain_register"] = metrics(orig, rew, p[y == 0], s.model.calibration.threshold)
    from probe_compare import EXAMPLES  # the hand-written examples quoted in the model card
    out["examples"] = {k: s.score(t).score for k, t in EXAMPLES.items()}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("models", nargs=2)
    ap.add_argument("--wave", default="g", help="writer prefix of the newest corpus wave")
    ap.add_argument("--json")
    a = ap.parse_args()
    from cotscan.data import load_records

    val = load_records("validation")
    probe_sets = [(f.stem, [json.loads(x) for x in f.open(encoding="utf-8")])
                  for f in sorted((ROOT / "data" / "probes").glob("probes*.jsonl"))]
    rows = [measure(m, val, probe_sets, a.wave) for m in a.models]
    keys = [("validation_auroc", "validation AUROC"), ("before_wave_auroc", "… before the wave"),
            ("wave_auroc", f"… wave {a.wave}"), ("wave_pos_median", f"… wave {a.wave} positives' median"),
            ("validation_span_f1", "validation span F1"), ("validation_fpr", "validation FPR at threshold")]
    print(f"{'':36s} " + " ".join(f"{r['model']:>26s}" for r in rows))
    for k, label in keys:
        print(f"{label:36s} " + " ".join(f"{r[k]:26.4f}" for r in rows))
    for name in rows[0]["probes"]:
        cells = []
        for r in rows:
            q = r["probes"][name]
            gate = "" if "gate" not in q else (" ok" if q["gate"] else " FAIL")
            med = "-" if q["pos_median"] is None else f"{q['pos_median']:.2f}"
            cells.append(f"{q['auroc']:.3f} {med} {q['pos_flagged']}/{q['neg_flagged']}{gate}")
        print(f"{name + ' (AUROC, pos median, flags +/-)':36s} " + " ".join(f"{c:>26s}" for c in cells))
    for k in ("original_median", "rewrite_median", "rewrite_flagged",
              "original_auroc_vs_negatives", "rewrite_auroc_vs_negatives"):
        print(f"{'plain-register ' + k:36s} " + " ".join(f"{r['plain_register'][k]:26.3f}" for r in rows))
    print(f"{'all probe gates pass':36s} " + " ".join(f"{str(r['gates_pass']):>26s}" for r in rows))
    for k in rows[0]["examples"]:
        print(f"{'example: ' + k:36s} " + " ".join(f"{r['examples'][k]:26.3f}" for r in rows))
    if a.json:
        Path(a.json).write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
