"""CPU inference paths side by side: float32 vs int8 (torch dynamic quantization of the
encoder's linear layers), training overlap vs a shorter inference overlap. Accuracy on a corpus split, and the latency of one
3,000-token transcript, all measured in the same run.

    python benchmarks/cpu_paths.py --split validation      # used to choose the default
    python benchmarks/cpu_paths.py --split test --json benchmarks/results/cpu_paths.json
"""
import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="validation")
    ap.add_argument("--overlaps", default="64,32")
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--json")
    a = ap.parse_args()
    from latency import transcript_of_tokens, warm_latencies

    from cotscan import Scanner
    from cotscan import metrics as M
    from cotscan.data import is_hard_negative, load_records
    from cotscan.model import load_model

    recs = load_records(a.split)
    y = np.array([r["label"] for r in recs])
    hard = np.array([r["label"] == 1 or is_hard_negative(r) for r in recs])
    text3k = transcript_of_tokens(3000)
    rows, ref = [], None
    for int8 in (False, True):
        for ov in (int(o) for o in a.overlaps.split(",")):
            model = load_model()
            if int8:
                model.encoder = torch.ao.quantization.quantize_dynamic(
                    model.encoder, {torch.nn.Linear}, dtype=torch.qint8)
            sc = Scanner(model, device="cpu", overlap=ov)
            t0 = time.perf_counter()
            s = np.array([r.score for r in sc.score_many(r["text"] for r in recs)])
            secs = time.perf_counter() - t0
            lat = warm_latencies(sc, text3k, a.repeats)
            thr = sc.model.calibration.threshold
            ref = s if ref is None else ref
            row = {"path": ("int8" if int8 else "float32") + f" overlap {ov}",
                   "auroc": M.auroc(y, s), "hard_auroc": M.auroc(y[hard], s[hard]),
                   "ece": M.ece(y, s), "fpr_at_threshold": float((s[y == 0] >= thr).mean()),
                   "tpr_at_threshold": float((s[y == 1] >= thr).mean()),
                   "max_abs_score_diff_vs_first": float(np.abs(s - ref).max()),
                   "split_seconds": secs, "latency_3000_tokens_s_median": statistics.median(lat),
                   "latency_3000_tokens_s_all": lat}
            rows.append(row)
            print(json.dumps({k: (round(v, 4) if isinstance(v, float) else v)
                              for k, v in row.items() if k != "latency_3000_tokens_s_all"}),
                  flush=True)
    base = rows[0]
    print(f"\n{a.split} split, n={len(recs)}, torch threads {torch.get_num_threads()}")
    print(f"{'path':<22}{'AUROC':>8}{'dAUROC':>8}{'hard':>8}{'ECE':>7}{'FPR@thr':>9}"
          f"{'3k-tok s':>10}{'speed-up':>10}")
    for r in rows:
        print(f"{r['path']:<22}{r['auroc']:>8.4f}{r['auroc'] - base['auroc']:>+8.4f}"
              f"{r['hard_auroc']:>8.4f}{r['ece']:>7.3f}{r['fpr_at_threshold']:>9.3f}"
              f"{r['latency_3000_tokens_s_median']:>10.3f}"
              f"{base['latency_3000_tokens_s_median'] / r['latency_3000_tokens_s_median']:>9.2f}x")
    if a.json:
        Path(a.json).write_text(json.dumps({"split": a.split, "n": len(recs), "rows": rows},
                                           indent=1) + "\n")


if __name__ == "__main__":
    main()
