"""Transcript logit -> calibrated probability (Platt scaling), and the operating threshold."""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np


@dataclass
class Calibration:
    """p = sigmoid(a * logit + b). ``threshold`` is on the probability scale and was chosen
    so that the false-positive rate on validation negatives is ``target_fpr``."""

    a: float = 1.0
    b: float = 0.0
    threshold: float = 0.5
    target_fpr: float = 0.01
    validation_fpr: float | None = None
    n_validation: int | None = None
    span_threshold: float | None = None  # evidence spans: score >= this (max span F1 on val)

    @property
    def evidence_threshold(self) -> float:
        return self.threshold if self.span_threshold is None else self.span_threshold

    def __call__(self, logits):
        z = np.asarray(logits, dtype=np.float64) * self.a + self.b
        return 1.0 / (1.0 + np.exp(-np.clip(z, -60, 60)))

    def prob(self, logit: float) -> float:
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, self.a * logit + self.b))))

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps(asdict(self), indent=2) + "\n")

    @classmethod
    def load(cls, path: Path) -> "Calibration":
        path = Path(path)
        if not path.exists():
            return cls()
        raw = json.loads(path.read_text())
        return cls(**{k: raw[k] for k in cls.__dataclass_fields__ if k in raw})


def fit_platt(logits, labels) -> tuple[float, float]:
    """Fit Platt scaling on held-out logits (sklearn, effectively unregularised)."""
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(logits, dtype=np.float64).reshape(-1, 1)
    y = np.asarray(labels, dtype=int)
    lr = LogisticRegression(C=1e4, max_iter=1000).fit(x, y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def threshold_at_fpr(neg_scores, target_fpr: float) -> tuple[float, float]:
    """Smallest threshold whose FPR on ``neg_scores`` is <= target_fpr; returns (thr, fpr)."""
    s = np.sort(np.asarray(neg_scores, dtype=np.float64))[::-1]
    k = int(math.floor(target_fpr * len(s)))  # negatives allowed above the threshold
    thr = float(np.nextafter(s[k], np.inf)) if k < len(s) else float(s[-1])
    return thr, float(np.mean(s >= thr))


def fit_calibration(logits, labels, target_fpr: float = 0.01) -> Calibration:
    a, b = fit_platt(logits, labels)
    cal = Calibration(a=a, b=b, target_fpr=target_fpr)
    probs = cal(logits)
    neg = probs[np.asarray(labels) == 0]
    cal.threshold, cal.validation_fpr = threshold_at_fpr(neg, target_fpr)
    cal.n_validation = int(len(labels))
    return cal
