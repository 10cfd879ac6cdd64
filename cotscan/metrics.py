"""Evaluation metrics: thin, pure wrappers over scikit-learn plus span token-F1 and bootstrap
intervals. All take arrays; none touch a model.

>>> auroc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
0.75
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np
from sklearn import metrics as skm

WORD_RE = re.compile(r"\w+")


def auroc(y, s) -> float:
    return float(skm.roc_auc_score(y, s))


def auprc(y, s) -> float:
    return float(skm.average_precision_score(y, s))


def tpr_at_fpr(y, s, fpr: float) -> float:
    """Highest TPR whose FPR is <= ``fpr`` (interpolation-free, from the ROC curve)."""
    f, t, _ = skm.roc_curve(y, s)
    ok = f <= fpr + 1e-12
    return float(t[ok].max()) if ok.any() else 0.0


def accuracy_at(y, s, threshold: float) -> float:
    return float(np.mean((np.asarray(s) >= threshold) == np.asarray(y, dtype=bool)))


def fpr_at(y, s, threshold: float) -> float:
    y, s = np.asarray(y), np.asarray(s)
    return float(np.mean(s[y == 0] >= threshold))


def ece(y, p, bins: int = 10) -> float:
    """Expected calibration error with equal-width bins."""
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    idx = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += m.mean() * abs(y[m].mean() - p[m].mean())
    return float(total)


@lru_cache(maxsize=8192)
def _word_bounds(text: str) -> tuple[np.ndarray, np.ndarray]:
    spans = [(m.start(), m.end()) for m in WORD_RE.finditer(text)]
    arr = np.array(spans, dtype=np.int64).reshape(-1, 2)
    return arr[:, 0], arr[:, 1]


def _word_mask(text: str, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """For each word of ``text``: does it overlap one of ``spans``? (vectorised)"""
    ws, we = _word_bounds(text)
    if not len(spans):
        return np.zeros(len(ws), dtype=bool)
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    starts = np.array([m[0] for m in merged])
    ends = np.array([m[1] for m in merged])
    k = np.searchsorted(starts, we, side="left") - 1  # last span starting before the word ends
    return (k >= 0) & (ends[np.maximum(k, 0)] > ws)


def span_token_f1(texts: Sequence[str], gold: Sequence[Sequence[tuple[int, int]]],
                  pred: Sequence[Sequence[tuple[int, int]]]) -> dict:
    """Micro-averaged word-level precision / recall / F1 of predicted evidence spans."""
    tp = fp = fn = 0
    for text, g, p in zip(texts, gold, pred):
        gm, pm = _word_mask(text, g), _word_mask(text, p)
        tp += int((gm & pm).sum())
        fp += int((~gm & pm).sum())
        fn += int((gm & ~pm).sum())
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": prec, "recall": rec, "f1": f1}


def bootstrap_ci(fn: Callable[..., float], *arrays, n: int = 1000, seed: int = 0,
                 alpha: float = 0.05, stratify=None, groups=None) -> tuple[float, float, float]:
    """(point, low, high): percentile bootstrap over rows shared by ``arrays``. With
    ``stratify`` (e.g. the labels), resampling keeps class counts fixed so AUROC is defined.
    With ``groups`` (e.g. scenario families) whole groups are resampled instead (a cluster
    bootstrap; ``stratify`` is then ignored): rows of one group are not independent draws, and
    the interval then speaks for new groups, not for more rows of the same ones. Resamples on
    which ``fn`` is undefined (one class only) are skipped."""
    arrays = [np.asarray(a, dtype=object) if np.asarray(a).dtype == object else np.asarray(a)
              for a in arrays]
    point = fn(*arrays)
    rng = np.random.default_rng(seed)
    m = len(arrays[0])
    if groups is not None:
        _, gid = np.unique(np.asarray(groups, dtype=str), return_inverse=True)
        members = [np.flatnonzero(gid == g) for g in range(gid.max() + 1)]
        draw = lambda: np.concatenate(  # noqa: E731
            [members[g] for g in rng.integers(0, len(members), len(members))])
    else:
        strata = [np.arange(m)] if stratify is None else [
            np.flatnonzero(np.asarray(stratify) == v) for v in np.unique(stratify)]
        draw = lambda: np.concatenate(  # noqa: E731
            [rng.choice(g, size=len(g), replace=True) for g in strata])
    stats = []
    for _ in range(n):
        idx = draw()
        try:
            stats.append(fn(*[a[idx] for a in arrays]))
        except ValueError:
            continue
    lo, hi = np.quantile(stats, [alpha / 2, 1 - alpha / 2]) if stats else (np.nan, np.nan)
    return float(point), float(lo), float(hi)
