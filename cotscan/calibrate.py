"""Transcript logit -> calibrated probability (Platt scaling), and the operating threshold.

The transcript logit is the maximum over span logits, so a long negative has many draws at a
false alarm: one threshold fit on mostly short transcripts fires more often on long ones
(1.3.0 on validation: 7.6% of negatives over 6,000 characters flagged, none shorter). The
length term ``c * log(characters)`` is fit with a and b and corrects that
(benchmarks/length_calibration.py). Characters rather than the number of sentences: the
amount of text is what gives the draws, while the sentence count also depends on writing style
(bullets, short sentences); on real scratchpads of equal length the sentence count reshuffled
the ranking. Lengths below ``length_floor`` (the shortest validation text) are not
extrapolated. Models calibrated without the term (<= 1.3.0) have c = 0."""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np


def length_feature(n_chars, floor: float = 1.0) -> np.ndarray:
    return np.log(np.maximum(np.asarray(n_chars, dtype=np.float64), max(floor, 1.0)))


@dataclass
class Calibration:
    """p = sigmoid(a * logit + b + c * log(max(characters, length_floor))). ``threshold`` is on
    the probability scale and was chosen so that the false-positive rate on validation
    negatives is ``target_fpr``. Every span of a transcript is mapped with that transcript's
    length, so the transcript score stays the maximum of its span scores."""

    a: float = 1.0
    b: float = 0.0
    c: float = 0.0  # length term; 0 for models calibrated without it (<= 1.3.0)
    length_floor: float = 1.0  # characters
    threshold: float = 0.5
    target_fpr: float = 0.01
    validation_fpr: float | None = None
    n_validation: int | None = None
    span_threshold: float | None = None  # evidence spans: score >= this (max span F1 on val)

    @property
    def evidence_threshold(self) -> float:
        return self.threshold if self.span_threshold is None else self.span_threshold

    def __call__(self, logits, n_chars=1):
        """Probabilities for logits of transcripts ``n_chars`` characters long (scalar or
        array; ignored when c = 0)."""
        z = np.asarray(logits, dtype=np.float64) * self.a + self.b
        if self.c:
            z = z + self.c * length_feature(n_chars, self.length_floor)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -60, 60)))

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps(asdict(self), indent=2) + "\n")

    @classmethod
    def load(cls, path: Path) -> "Calibration":
        path = Path(path)
        if not path.exists():
            return cls()
        raw = json.loads(path.read_text())
        return cls(**{k: raw[k] for k in cls.__dataclass_fields__ if k in raw})


def fit_platt(logits, labels, n_chars=None, length_floor: float = 1.0
              ) -> tuple[float, float, float]:
    """Fit Platt scaling on held-out logits (sklearn, effectively unregularised); with
    ``n_chars``, also the coefficient on log(characters). Returns (a, b, c)."""
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(logits, dtype=np.float64).reshape(-1, 1)
    if n_chars is not None:
        x = np.hstack([x, length_feature(n_chars, length_floor)[:, None]])
    y = np.asarray(labels, dtype=int)
    lr = LogisticRegression(C=1e4, max_iter=2000).fit(x, y)
    c = float(lr.coef_[0, 1]) if n_chars is not None else 0.0
    return float(lr.coef_[0, 0]), float(lr.intercept_[0]), c


def threshold_at_fpr(neg_scores, target_fpr: float) -> tuple[float, float]:
    """Smallest threshold whose FPR on ``neg_scores`` is <= target_fpr; returns (thr, fpr)."""
    s = np.sort(np.asarray(neg_scores, dtype=np.float64))[::-1]
    k = int(math.floor(target_fpr * len(s)))  # negatives allowed above the threshold
    thr = float(np.nextafter(s[k], np.inf)) if k < len(s) else float(s[-1])
    return thr, float(np.mean(s >= thr))


def fit_calibration(logits, labels, target_fpr: float = 0.01, n_chars=None) -> Calibration:
    """Platt scaling (with the length term when the texts' lengths ``n_chars`` are given) and
    the threshold at ``target_fpr`` on these negatives."""
    floor = float(np.min(n_chars)) if n_chars is not None else 1.0
    a, b, c = fit_platt(logits, labels, n_chars, floor)
    cal = Calibration(a=a, b=b, c=c, length_floor=floor, target_fpr=target_fpr)
    probs = cal(logits, 1 if n_chars is None else n_chars)
    neg = probs[np.asarray(labels) == 0]
    cal.threshold, cal.validation_fpr = threshold_at_fpr(neg, target_fpr)
    cal.n_validation = int(len(labels))
    return cal
