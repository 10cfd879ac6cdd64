"""Does the operating threshold hold its false-positive rate on long transcripts? Compares
transcript-score calibrations by cross-fitting on the VALIDATION split only (scenario families
grouped into folds: calibrate on some families, measure on the others), so a choice made here
never looks at the test split.

The transcript score is the maximum over span scores; a negative with many suspicious spans
gets many draws at a false alarm, so one threshold fit on mostly short validation negatives
fires more often on long ones (model card, "Calibration candidates"). Candidates:

  max        Platt on the max span logit (the shipped 1.3.0 calibration)
  max+spans  Platt on [max span logit, log(number of spans)]
  max+chars  Platt on [max span logit, log(characters)]
  max+count  Platt on [max span logit, log(1 + spans above the 99th percentile of negative
             span logits)] (the count term before 1.4.1: every hot span counts)
  max+far    the same count, leaving out spans within COUNT_FAR (2) spans of the top span
             (a motive stated over neighbouring sentences is not counted against itself;
             shipped since 1.4.1, the `cotscan train` default)
  max-of-n   Platt on the max logit's tail probability under "n independent negative spans":
             -log(1 - F(max)^n), F = the negative span-logit distribution (training folds)

--bury: validation only too. 60 positives and 60 negatives under 3,000 characters, each also
padded to 10x its length with unrelated reasoning (cotscan.stress "bury", strength 1); each
calibration fit on all of validation; flagged share before and after. A length term
penalises the padding, the count term does not (~7 min).
--redwood: a sanity check on real scratchpads (evaluation only; each calibration fit on the
whole validation split, then applied once).

    python benchmarks/length_calibration.py [MODEL] [--bury] [--redwood]  # ~4 min + extras
"""
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

from cotscan import Scanner
from cotscan.calibrate import (COUNT_FAR, HOT_QUANTILE, count_feature, hot_count,
                               threshold_at_fpr)
from cotscan.data import load_records
from cotscan.metrics import auroc

LONG = 6000  # chars: the long composites start here (data/README.md)
CACHE = Path("/tmp/cotscan_val_spans_v2.json")


def span_logits(model: str) -> list[dict]:
    recs = load_records("validation")
    # keyed by the weights and calibration, not the path: a retrained model in the same folder
    # must not reuse the old model's logits (stale cache = wrong model or wrong split)
    folder = Path(model)
    weights = "".join(hashlib.sha256((folder / f).read_bytes()).hexdigest()
                      for f in ("adapter.safetensors", "config.json") if (folder / f).exists())
    key = {"model": model, "weights": weights, "validation": hashlib.sha256(
        json.dumps([r["id"] for r in recs]).encode()).hexdigest()}
    if CACHE.exists() and json.loads(CACHE.read_text())["key"] == key:
        return json.loads(CACHE.read_text())["records"]
    s = Scanner(model)
    out = []
    for k in range(0, len(recs), 64):
        chunk = recs[k:k + 64]
        items = [s.prepare(r["text"]) for r in chunk]
        for r, lg in zip(chunk, s.span_logits(items)):
            out.append({"label": r["label"], "family": r["scenario"], "chars": len(r["text"]),
                        "writer": r["writer"], "logits": [float(v) for v in lg]})
    CACHE.write_text(json.dumps({"key": key, "records": out}))
    return out


def features(recs, method: str, neg_span_logits: np.ndarray) -> np.ndarray:
    m = np.array([max(r["logits"]) for r in recs])
    n = np.array([len(r["logits"]) for r in recs], dtype=float)
    if method == "max":
        return m[:, None]
    if method == "max+spans":
        return np.stack([m, np.log(n)], 1)
    if method == "max+chars":
        return np.stack([m, np.log([r["chars"] for r in recs])], 1)
    if method == "max+count":
        hot = np.quantile(neg_span_logits, HOT_QUANTILE)
        return np.stack([m, count_feature([hot_count(r["logits"], hot, None) for r in recs])], 1)
    if method == "max+far":
        hot = np.quantile(neg_span_logits, HOT_QUANTILE)
        return np.stack([m, count_feature([hot_count(r["logits"], hot, COUNT_FAR) for r in recs])], 1)
    if method == "max-of-n":
        srt = np.sort(neg_span_logits)
        # empirical CDF with a +1 smoothing so the top negative span is not F = 1
        F = (np.searchsorted(srt, m, side="right") + 0.5) / (len(srt) + 1.0)
        log_cdf_max = n * np.log(F)  # log F(max)^n
        tail = -np.expm1(log_cdf_max)  # 1 - F^n
        return -np.log(np.clip(tail, 1e-300, 1))[:, None]
    raise ValueError(method)


def platt(x, y):
    from sklearn.linear_model import LogisticRegression
    lr = LogisticRegression(C=1e4, max_iter=2000).fit(x, y)
    return lambda z: lr.predict_proba(z)[:, 1]


def cross_fit(recs, method: str, folds: int, seed: int):
    y = np.array([r["label"] for r in recs])
    fam = [r["family"] for r in recs]
    # shuffle families into folds differently per seed
    names = sorted(set(fam))
    rng = np.random.default_rng(seed)
    perm = {f: int(i) for i, f in zip(rng.permutation(len(names)), names)}
    groups = np.array([perm[f] for f in fam])
    prob = np.zeros(len(recs))
    flag = np.zeros(len(recs), bool)
    for tr, te in GroupKFold(folds).split(np.zeros(len(y)), y, groups):
        neg_spans = np.concatenate([recs[i]["logits"] for i in tr if y[i] == 0])
        ftr = features([recs[i] for i in tr], method, neg_spans)
        fte = features([recs[i] for i in te], method, neg_spans)
        f = platt(ftr, y[tr])
        thr, _ = threshold_at_fpr(f(ftr)[y[tr] == 0], 0.01)
        prob[te] = f(fte)
        flag[te] = prob[te] >= thr
    return prob, flag


def main() -> None:
    if {"-h", "--help"} & set(sys.argv[1:]):
        print(__doc__)  # flags are read by hand below; without this, --help ran the benchmark
        return
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    model = args[0] if args else "models/cotscan-minilm-v1"
    recs = span_logits(str(Path(model).resolve()) if Path(model).exists() else model)
    y = np.array([r["label"] for r in recs])
    long = np.array([r["chars"] > LONG for r in recs])
    print(f"validation: {len(recs)} ({(y == 0).sum()} neg: {((y == 0) & long).sum()} long, "
          f"{((y == 0) & ~long).sum()} short; {(y == 1).sum()} pos: {((y == 1) & long).sum()} long)")
    print("5-fold family cross-fit, 20 fold shuffles; FPR/TPR at a 1%-FPR threshold fit on the "
          "other folds (median [min, max] over shuffles)")
    print(f"{'method':10s} {'AUROC':>6s} {'FPR all':>18s} {'FPR long':>18s} {'FPR short':>18s} "
          f"{'TPR all':>18s} {'TPR long':>18s}")
    methods = ("max", "max+spans", "max+chars", "max+count", "max+far", "max-of-n")
    for method in methods:
        rows = []
        for seed in range(20):
            p, fl = cross_fit(recs, method, 5, seed)
            rows.append([auroc(y, p), fl[y == 0].mean(), fl[(y == 0) & long].mean(),
                         fl[(y == 0) & ~long].mean(), fl[y == 1].mean(),
                         fl[(y == 1) & long].mean()])
        a = np.array(rows)
        cell = lambda j: f"{np.median(a[:, j]):.3f} [{a[:, j].min():.3f},{a[:, j].max():.3f}]"  # noqa: E731
        print(f"{method:10s} {np.median(a[:, 0]):6.3f} " + " ".join(f"{cell(j):>18s}" for j in range(1, 6)))
    threshold_spread(recs)
    if "--bury" in sys.argv:
        bury(model, recs, methods)
    if "--redwood" in sys.argv:
        redwood(model, recs, methods)


def fit_on_validation(val: list[dict], method: str):
    """Calibration fit on all of validation -> (scorer on records, 1%-FPR threshold)."""
    vy = np.array([r["label"] for r in val])
    neg = np.concatenate([r["logits"] for r in val if r["label"] == 0])
    f = platt(features(val, method, neg), vy)
    thr, _ = threshold_at_fpr(f(features(val, method, neg))[vy == 0], 0.01)
    return (lambda recs: f(features(recs, method, neg))), thr


def bury(model: str, val: list[dict], methods) -> None:
    import random

    from cotscan.stress import transform

    s = Scanner(model)
    recs = load_records("validation")
    rng = random.Random(0)
    picked = [r for lab in (1, 0) for r in
              rng.sample([r for r in recs if r["label"] == lab and len(r["text"]) < 3000], 60)]
    rows = []
    for strength in (0.0, 1.0):
        texts = [transform(r, "bury", strength)["text"] for r in picked]
        items = [s.prepare(t) for t in texts]
        rows += [{"label": r["label"], "strength": strength, "chars": len(t),
                  "logits": [float(v) for v in lg]}
                 for r, t, lg in zip(picked, texts, s.span_logits(items))]
    print("bury (validation, 60 pos + 60 neg < 3,000 chars, padded to 10x): share flagged")
    print(f"{'method':10s} {'pos':>6s} {'pos buried':>11s} {'neg':>6s} {'neg buried':>11s}")
    for method in methods:
        score, thr = fit_on_validation(val, method)
        cells = []
        for lab in (1, 0):
            for strength in (0.0, 1.0):
                sub = [r for r in rows if r["label"] == lab and r["strength"] == strength]
                cells.append(float((score(sub) >= thr).mean()))
        print(f"{method:10s} {cells[0]:6.2f} {cells[1]:11.2f} {cells[2]:6.2f} {cells[3]:11.2f}")


def threshold_spread(recs: list[dict]) -> None:
    """How far can the realised FPR on unseen families drift from the 1% target by family
    sampling alone? Calibrate on a random half of the validation families, measure FPR on the
    other half; 300 splits. Then, where validation has held-out-wave families (writers f*,
    data/raw/BRIEF_HELDOUT.md), calibrate on the rest of validation and measure on them."""
    from cotscan.calibrate import fit_calibration

    y = np.array([r["label"] for r in recs])
    m = np.array([max(r["logits"]) for r in recs])
    lg = [np.asarray(r["logits"]) for r in recs]
    fam = np.array([r["family"] for r in recs])
    names = np.unique(fam)

    def fpr_on(fit_mask, eval_mask, count):
        far = COUNT_FAR if count == "far" else None
        cal = fit_calibration(m[fit_mask], y[fit_mask], 0.01,
                              [x for x, k in zip(lg, fit_mask) if k] if count else None, far)
        held = [cal.span_probs(x).max() for x, k, lab in zip(lg, eval_mask, y) if k and lab == 0]
        return float((np.array(held) >= cal.threshold).mean()), len(held)

    for method, count in (("max", False), ("max+count", "all"), ("max+far", "far")):
        rng = np.random.default_rng(0)
        fpr = []
        for _ in range(300):
            a = np.isin(fam, rng.choice(names, len(names) // 2, replace=False))
            fpr.append(fpr_on(a, ~a, count)[0])
        fpr = np.array(fpr)
        print(f"threshold spread ({method} fit on half of the {len(names)} validation families, "
              f"FPR on the other half, 300 splits): median {np.median(fpr):.3f}, 90% of splits "
              f"in [{np.percentile(fpr, 5):.3f}, {np.percentile(fpr, 95):.3f}], over 2%: "
              f"{(fpr > 0.02).mean():.0%}")
    heldout = np.array([r.get("writer", "").startswith("f") for r in recs])
    if heldout.any() and (~heldout).any():
        for method, count in (("max", False), ("max+count", "all"), ("max+far", "far")):
            f, n = fpr_on(~heldout, heldout, count)
            print(f"{method}: fit on the earlier validation families, FPR on the held-out wave's "
                  f"{len(np.unique(fam[heldout]))} families ({n} negatives): {f:.3f}")


def redwood(model: str, val: list[dict], methods) -> None:
    bench = Path(__file__).resolve().parents[2] / "shared/benchmarks/redwood_novel_200.jsonl"
    rw = [json.loads(line) for line in open(bench, encoding="utf-8")]
    s = Scanner(model)
    items = [s.prepare(r["text"]) for r in rw]
    recs = [{"label": r["label"], "chars": len(p.transcript.text), "logits": list(lg)}
            for r, p, lg in zip(rw, items, s.span_logits(items))]
    y = np.array([r["label"] for r in recs])
    scores = {}
    for method in methods:
        score, _ = fit_on_validation(val, method)
        scores[method] = score(recs)
    rng = np.random.default_rng(0)
    boot = [rng.integers(0, len(y), len(y)) for _ in range(2000)]
    print(f"redwood_novel_200 ({len(y)}), calibration fit on all of validation: AUROC; "
          "paired difference to max [95% bootstrap]")
    for method in methods:
        d = [auroc(y[i], scores[method][i]) - auroc(y[i], scores["max"][i]) for i in boot]
        print(f"{method:10s} {auroc(y, scores[method]):.3f}  {np.mean(d):+.3f} "
              f"[{np.percentile(d, 2.5):+.3f}, {np.percentile(d, 97.5):+.3f}]")


if __name__ == "__main__":
    main()
