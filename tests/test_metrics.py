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


def test_cluster_bootstrap_widens_for_clustered_errors():
    # 40 families of 10 negatives; false positives come family-wise (4 families all flagged):
    # resampling records treats 40 flags as 40 independent draws, resampling families as 4
    y = np.zeros(400, dtype=int)
    s = np.zeros(400)
    s[:40] = 1.0
    fams = np.repeat(np.arange(40), 10)
    fpr = lambda a, b: M.fpr_at(a, b, 0.5)  # noqa: E731
    p, lo, hi = M.bootstrap_ci(fpr, y, s, n=500)
    pg, lo_g, hi_g = M.bootstrap_ci(fpr, y, s, n=500, groups=fams)
    assert p == pg == 0.1
    assert lo_g <= p <= hi_g and (hi_g - lo_g) > 2 * (hi - lo)
    # one record per group: the same as resampling records
    a = M.bootstrap_ci(fpr, y, s, n=300, seed=3, groups=np.arange(400))
    assert abs((a[2] - a[1]) - (hi - lo)) < 0.02


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


def _transcripts(rng, n=4000):
    """Span logits: 200 benign sentences far below zero, 1 or (20%) 15 suspicious ones ~ N(0, 1),
    and for positives one evidence sentence at +3.5."""
    y = rng.integers(0, 2, n)
    many = rng.random(n) < 0.2
    spans = [np.concatenate([np.full(200, -8.0), rng.normal(0, 1, 15 if m else 1),
                             [3.5 + rng.normal(0, 1)] if lab else []])
             for lab, m in zip(y, many)]
    return y, many, spans


def test_count_term_evens_false_positives():
    # the max over many suspicious negative spans runs higher: without the count term one
    # threshold flags those negatives far more often; with it, the two groups come closer
    y, many, spans = _transcripts(np.random.default_rng(2))
    z = np.array([s.max() for s in spans])
    rates = {}
    for name, given in (("plain", None), ("count", spans)):
        cal = fit_calibration(z, y, span_logits=given)
        p = np.array([cal.span_probs(s).max() for s in spans])
        flag = p >= cal.threshold
        rates[name] = (flag[(y == 0) & many].mean(), flag[(y == 0) & ~many].mean())
    assert rates["plain"][0] > 4 * max(rates["plain"][1], 1e-3)   # the problem is real here
    assert cal.c < 0 and -8.0 < cal.hot_logit < 3.0
    gap = lambda r: abs(r[0] - r[1])  # noqa: E731
    assert gap(rates["count"]) < 0.5 * gap(rates["plain"])


def test_count_term_ignores_benign_padding():
    # burying the evidence in unrelated text must not lower the score (a length term would)
    y, _, spans = _transcripts(np.random.default_rng(3), 600)
    cal = fit_calibration([s.max() for s in spans], y, span_logits=spans)
    s = spans[int(np.argmax(y))]
    padded = np.concatenate([np.full(2000, -8.0), s, np.full(2000, -8.0)])
    assert cal.span_probs(padded).max() == pytest.approx(cal.span_probs(s).max())


def test_count_term_spares_a_motive_stated_over_neighbouring_sentences():
    from cotscan.calibrate import hot_count

    benign = np.full(40, -8.0)
    together = benign.copy()
    together[20:23] = [2.0, 3.0, 2.5]      # one statement over three sentences
    apart = benign.copy()
    apart[[3, 20, 37]] = [2.0, 3.0, 2.5]   # three separate suspicious passages
    assert hot_count(together, 1.0, 2) == 0 and hot_count(apart, 1.0, 2) == 2
    assert hot_count(together, 1.0, None) == hot_count(apart, 1.0, None) == 3
    y, _, spans = _transcripts(np.random.default_rng(4), 600)
    cal = fit_calibration([s.max() for s in spans], y, span_logits=spans)
    assert cal.c < 0 and cal.count_far == 2
    assert cal.span_probs(together).max() > cal.span_probs(apart).max()


def test_calibration_without_count_term_ignores_count(tmp_path):
    # calibration.json of models <= 1.3.0 has no c: loading it must reproduce a, b exactly
    path = tmp_path / "calibration.json"
    path.write_text('{"a": 0.5, "b": -0.3, "threshold": 0.88}')
    cal = Calibration.load(path)
    assert cal.c == 0.0
    assert cal.span_probs([1.0, 0.9, 0.8])[0] == pytest.approx(1 / (1 + np.exp(-(0.5 - 0.3))))
    cal.save(path)  # inf cut-off written as null (valid JSON) and read back
    assert Calibration.load(path) == cal


def test_detectability_orders_redundancy():
    assert detectability([0.9, 0.8, 0.95, 0.7], 0.5) > detectability([0.9, 0.1, 0.1, 0.1], 0.5)
    assert detectability([0.9], 0.5) == 0.5
    assert detectability([0.01, 0.02], 0.5) == 0.0
