"""Validation-only comparison behind benchmarks/results/truncation_experiment.json (GPU, no
wheel): the shipped model vs the same recipe with truncated_share, on full and cut-off
validation transcripts.  PYTHONPATH=. python3 benchmarks/gpu/truncation_cmp.py"""
import json, os, sys, time
from pathlib import Path
import numpy as np, torch
sys.argv = [sys.argv[0]]
exec(open("benchmarks/gpu/gpu_train.py").read().split("from cotscan.training import")[0])  # patches only
from cotscan.training import TrainConfig, train
from cotscan.scanner import Scanner
from cotscan.model import SpanModel
from cotscan.data import load_records, is_hard_negative
from cotscan import metrics as M
OUT = Path(os.environ["OUT"])
val = load_records("validation")
# cut-off validation: first 1,000 characters of every non-composite record over 1,200, full-transcript label
cut = [r for r in val if len(r["text"]) > 1200 and r["style"] != "long_mixed"]
vis = [r["label"] == 1 and min(s["end"] for s in r["spans"]) <= 1000 for r in cut]
def evaluate(folder, tag):
    sc = Scanner(SpanModel.load(folder), device="cuda", batch_size=256)
    thr = sc.model.calibration.threshold
    y = np.array([r["label"] for r in val]); s = np.array([x.score for x in sc.score_many(r["text"] for r in val)])
    hard = np.array([r["label"] == 1 or is_hard_negative(r) for r in val])
    yc = np.array([r["label"] for r in cut]); sc_ = np.array([x.score for x in sc.score_many(r["text"][:1000] for r in cut)])
    v = np.array(vis); neg = yc == 0
    m = v | neg
    row = {"model": tag, "val_auroc": M.auroc(y, s), "val_hard": M.auroc(y[hard], s[hard]), "val_ece": M.ece(y, s),
           "cut_auroc_full_label": M.auroc(yc, sc_), "cut_visible_vs_neg_auroc": M.auroc(v[m].astype(int), sc_[m]),
           "cut_visible_recall@thr": float((sc_[v] >= thr).mean()), "cut_visible_median": float(np.median(sc_[v])),
           "cut_neg_fpr@thr": float((sc_[neg] >= thr).mean()), "n_cut": len(cut), "n_visible": int(v.sum()), "thr": thr}
    print(json.dumps(row), flush=True)
evaluate("models/cotscan-minilm-v1", "shipped-1.1.0")
cfg = TrainConfig(truncated_share=float(os.environ.get("SHARE", "0.5")))
t = time.time()
out = train(output_dir=OUT / "model", config=cfg, command="cotscan train --truncated-share 0.5  # GPU, benchmarks/gpu/gpu_train.py")
print("trained in", time.time() - t, flush=True)
evaluate(out, "truncated_share=%s" % cfg.truncated_share)
