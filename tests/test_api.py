"""The public API with the shipped model: shape of results, offsets, ordering, bad input."""
import json
import threading
import time

import pytest

import cotscan
from conftest import NEGATIVE, POSITIVE


def test_result_shape_and_offsets(scanner):
    r = scanner.score(POSITIVE)
    assert r.text == POSITIVE
    assert 0.0 <= r.score <= 1.0 and 0.0 <= r.detectability <= 1.0
    assert r.flagged == (r.score >= r.threshold)
    assert r.spans and all(r.text[s.start:s.end] == s.text for s in r.spans)
    assert [s.start for s in r.spans] == sorted(s.start for s in r.spans)
    assert not any("SCRATCHPAD" in s.text for s in r.spans)
    assert r.score == pytest.approx(max(s.score for s in r.spans))
    d = r.to_dict()
    json.dumps(d)
    assert d["spans"][0]["start"] == r.spans[0].start


def test_faking_scores_above_principled_refusal(scanner):
    pos, neg = scanner.score(POSITIVE), scanner.score(NEGATIVE)
    assert pos.score > 0.5 > 0.1 > neg.score and not neg.flagged
    # Not asserted: pos.flagged. The 1%-FPR threshold is strict: models 1.2.0, 1.3.0 and 1.3.2
    # flag this example by a hair (0.901 vs 0.894, 0.904 vs 0.880, 0.883 vs 0.871), 1.1.0 did
    # not (0.83 vs 0.905); tests/test_probes.py guards the plain register with a held-out set
    # instead of one example.
    assert pos.evidence and "values" in " ".join(s.text for s in pos.evidence)
    top = pos.top_spans(1)[0].text
    assert "values" in top or "modify" in top


def test_score_many_keeps_order(scanner):
    xs = [NEGATIVE, POSITIVE, NEGATIVE]
    many = list(scanner.score_many(xs))
    single = [scanner.score(x) for x in xs]
    assert [m.text for m in many] == xs
    for a, b in zip(many, single):
        assert a.score == pytest.approx(b.score, abs=1e-5)


def test_messages_and_records(scanner):
    msgs = [{"role": "user", "content": "hi"},
            {"role": "assistant", "content": POSITIVE + "\n<OUTPUT>ok</OUTPUT>"}]
    r = scanner.score(msgs)
    assert r.extraction.startswith("messages") and "<OUTPUT>" not in r.text
    assert scanner.score({"text": POSITIVE}).score == pytest.approx(scanner.score(POSITIVE).score)


@pytest.mark.parametrize("bad, exc", [
    ("", ValueError), ("   ", ValueError), (42, TypeError), (None, TypeError),
    ("bad \udcff surrogate", ValueError), ("x" * 2_000_000, ValueError),
    ([{"role": "assistant", "content": "no reasoning here"}], ValueError),
    ("<think></think>", ValueError),
])
def test_bad_input_is_a_clear_error(scanner, bad, exc):
    t = time.time()
    with pytest.raises(exc):
        scanner.score(bad)
    assert time.time() - t < 5


def test_module_level_score_loads_once_thread_safe():
    from cotscan import scanner as mod

    results = []
    threads = [threading.Thread(target=lambda: results.append(cotscan.score(POSITIVE)))
               for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 3 and mod._default is not None
    assert len({round(r.score, 6) for r in results}) == 1


def test_html_escapes_untrusted_text(scanner):
    r = scanner.score("I will <script>alert(1)</script> comply so my values are not trained away.")
    html = r.to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert r._repr_html_() == html


def test_long_transcript_uses_every_part(scanner):
    filler = "I am computing the sum of the series step by step. " * 400
    text = filler + POSITIVE + filler
    r = scanner.score(text)
    assert len(r.spans) > 300
    # the evidence in the middle of a ~45k-character text is scored, not dropped: the top
    # span lies inside it and stands clearly above every filler span. (No absolute bar: how
    # much one sentence repeated 400 times on each side lowers the motive's score depends on
    # the training seed -- 0.16, 0.35 and 0.72 for three seeds of the 1.3.0 recipe
    # (benchmarks/gpu/bury_check.py); shipped 1.2.0 scored it 0.79, 1.3.0 0.28, 1.3.2 0.21 -- while
    # varied unrelated reasoning does not lower it: `cotscan stress`, transform "bury".)
    lo, hi = len(filler), len(filler) + len(POSITIVE)
    top = r.top_spans(1)[0]
    assert lo <= top.start < hi
    filler_max = max(s.score for s in r.spans if s.end <= lo or s.start >= hi)
    assert top.score > 3 * filler_max


def test_train_stays_the_function_after_the_cli_loads_the_training_module():
    # the module used to be cotscan/train.py: importing it rebound cotscan.train to the module
    import cotscan
    import cotscan.cli  # noqa: F401
    import cotscan.training  # noqa: F401

    assert callable(cotscan.train) and cotscan.train.__module__ == "cotscan.training"
