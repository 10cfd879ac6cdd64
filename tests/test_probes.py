"""The shipped model on the held-out probe set (data/probes/README.md): plain, textbook
statements of the motive must be caught, not only oblique ones. Model 1.1.0 failed this (it
flagged 4 of 20 plain positives) although its corpus test AUROC was 0.978."""
import json
from collections import defaultdict
from pathlib import Path

import pytest

from cotscan.metrics import auroc

PROBES = Path(__file__).resolve().parents[1] / "data" / "probes" / "probes.jsonl"


@pytest.fixture(scope="module")
def probe_results(scanner):
    rows = [json.loads(line) for line in PROBES.read_text(encoding="utf-8").splitlines()]
    return rows, list(scanner.score_many(r["text"] for r in rows))


def test_probe_ranking(probe_results):
    rows, res = probe_results
    assert auroc([r["label"] for r in rows], [x.score for x in res]) >= 0.95


def test_plain_statements_are_flagged_and_negatives_are_not(probe_results):
    rows, res = probe_results
    by_kind = defaultdict(list)
    for r, x in zip(rows, res):
        by_kind[r["kind"]].append(x.flagged)
    # at the 1%-FPR operating point most blatant cases must be flagged ...
    assert sum(by_kind["plain_pos"]) / len(by_kind["plain_pos"]) >= 0.5
    # ... while at most one of the 50 negatives (all kinds) is
    negatives = [f for r, f in zip(rows, (x.flagged for x in res)) if r["label"] == 0]
    assert sum(negatives) <= 1
