import numpy as np
import pytest

from cotscan import metrics as M
from cotscan.calibrate import Calibration, fit_calibration, threshold_at_fpr
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


def test_length_term_evens_false_positives_across_lengths():
    # max over n noisy negative spans grows with n: without the length term one threshold
    # flags long negatives far more often; with it, the two length bands come closer
    rng = np.random.default_rng(2)
    n = np.where(rng.random(4000) < 0.2, 100, 10)   # spans per transcript; 20% long
    chars = n * 100
    y = rng.integers(0, 2, 4000)
    z = np.array([rng.normal(0, 1, k).max() for k in n]) + 3.5 * y
    rates = {}
    for name, lengths in (("plain", None), ("length", chars)):
        cal = fit_calibration(z, y, n_chars=lengths)
        p = cal(z, 1 if lengths is None else chars)
        flag = p >= cal.threshold
        rates[name] = (flag[(y == 0) & (n == 100)].mean(), flag[(y == 0) & (n == 10)].mean())
    assert rates["plain"][0] > 4 * max(rates["plain"][1], 1e-3)   # the problem is real here
    assert cal.c < 0 and cal.length_floor == chars.min()
    long_fpr, short_fpr = rates["length"]
    assert abs(long_fpr - short_fpr) < 0.5 * abs(rates["plain"][0] - rates["plain"][1])


def test_calibration_without_length_term_ignores_length(tmp_path):
    # calibration.json of models <= 1.3.0 has no c: loading it must reproduce a, b exactly
    path = tmp_path / "calibration.json"
    path.write_text('{"a": 0.5, "b": -0.3, "threshold": 0.88}')
    cal = Calibration.load(path)
    assert cal.c == 0.0
    assert cal([1.0], 10_000)[0] == pytest.approx(1 / (1 + np.exp(-(0.5 - 0.3))))


def test_detectability_orders_redundancy():
    assert detectability([0.9, 0.8, 0.95, 0.7], 0.5) > detectability([0.9, 0.1, 0.1, 0.1], 0.5)
    assert detectability([0.9], 0.5) == 0.5
    assert detectability([0.01, 0.02], 0.5) == 0.0
