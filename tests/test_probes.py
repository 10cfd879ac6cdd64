"""The shipped model on the held-out probe set (data/probes/README.md): plain, textbook
statements of the motive must score as high as oblique ones. Model 1.1.0 failed this (plain
positives median 0.72 vs subtle 0.91) although its corpus test AUROC was 0.978."""
import json
from collections import defaultdict
from pathlib import Path
from statistics import median

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


def test_plain_statements_score_high_and_negatives_are_not_flagged(probe_results):
    rows, res = probe_results
    by_kind = defaultdict(list)
    for r, x in zip(rows, res):
        by_kind[r["kind"]].append(x.score)
    # the plain, stock statement of the motive is strong evidence, not a weaker cue than an
    # oblique one ...
    assert median(by_kind["plain_pos"]) >= 0.8
    assert median(by_kind["plain_pos"]) >= median(by_kind["subtle_pos"]) - 0.1
    # ... while at most one of the 50 negatives (all kinds) is flagged
    assert sum(x.flagged for r, x in zip(rows, res) if r["label"] == 0) <= 1
