import numpy as np
import pytest

from cotscan import metrics as M
from cotscan.calibrate import fit_calibration, threshold_at_fpr
from cotscan.detectability import detectability


def test_auroc_and_tpr():
    y = [0, 0, 0, 0, 1, 1]
    s = [0.1, 0.2, 0.3, 0.9, 0.8, 0.95]
    assert M.auroc(y, s) == pytest.approx(7 / 8)
    assert M.tpr_at_fpr(y, s, 0.0) == 0.5
    assert M.tpr_at_fpr(y, s, 0.25) == 1.0


def test_ece_perfect_and_bad():
    y = np.array([0, 1] * 50)
    assert M.ece(y, np.full(100, 0.5)) == pytest.approx(0.0)
    assert M.ece(y, np.where(y == 1, 0.0, 1.0)) == pytest.approx(1.0)


def test_span_token_f1():
    text = "alpha beta gamma delta"
    r = M.span_token_f1([text], [[(0, 10)]], [[(6, 16)]])
    assert r["precision"] == 0.5 and r["recall"] == 0.5


def test_bootstrap_interval_contains_point():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    s = y + rng.normal(0, 1, 200)
    p, lo, hi = M.bootstrap_ci(M.auroc, y, s, n=200, stratify=y)
    assert lo <= p <= hi and hi - lo < 0.2


def test_threshold_hits_target_fpr():
    neg = np.linspace(0, 1, 1000)
    thr, fpr = threshold_at_fpr(neg, 0.01)
    assert fpr == pytest.approx(0.01, abs=0.001)


def test_calibration_is_monotone_and_fits():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 500)
    z = 3 * (y - 0.5) + rng.normal(0, 1, 500)
    cal = fit_calibration(z, y)
    p = cal(z)
    assert np.all(np.diff(p[np.argsort(z)]) >= 0)
    assert M.ece(y, p) < 0.08


def test_detectability_orders_redundancy():
    assert detectability([0.9, 0.8, 0.95, 0.7], 0.5) > detectability([0.9, 0.1, 0.1, 0.1], 0.5)
    assert detectability([0.9], 0.5) == 0.5
    assert detectability([0.01, 0.02], 0.5) == 0.0
