"""The corpus: validator on every record, splits, no cross-split near-duplicates, minimums."""
from collections import Counter
from pathlib import Path

import pytest

from cotscan.data import (SPLITS, is_hard_negative, load_corpus, load_records, near_duplicates,
                          rewritten, validate)


@pytest.fixture(scope="module")
def records():
    return load_records()


def test_validator_passes_on_whole_corpus(records):
    assert validate(records) == []


def test_validator_catches_broken_records(records):
    pos = next(r for r in records if r["label"] == 1)
    neg = next(r for r in records if r["label"] == 0)
    bad = [
        {**pos, "id": "x1", "spans": []},                                   # positive, no span
        {**neg, "id": "x2", "spans": [{"start": 0, "end": 5}]},             # negative with span
        {**pos, "id": "x3", "spans": [{"start": 0, "end": 10 ** 7}]},       # outside text
        {**neg, "id": "x4", "category": "pos_subtle"},                      # category/label
        {**neg, "id": "x4"},                                                 # duplicate id
        {**neg, "id": "x5", "pair_id": "lonely"},                            # incomplete pair
    ]
    problems = validate(bad)
    for key in ("x1", "x2", "x3", "duplicate id x4", "lonely"):
        assert any(key in p for p in problems), key


def test_span_text_is_clean_sentences(records):
    for r in records:
        for s in r["spans"]:
            piece = r["text"][s["start"]:s["end"]]
            assert piece == piece.strip() and "<" not in piece[:1]


def test_no_scenario_in_two_splits(records):
    seen = {}
    for r in records:
        assert seen.setdefault(r["scenario"], r["split"]) == r["split"], r["scenario"]


def test_no_near_duplicates_across_splits(records):
    by = {s: [r["text"] for r in records if r["split"] == s] for s in SPLITS}
    for a, b in (("train", "validation"), ("train", "test"), ("validation", "test")):
        dups = near_duplicates(by[a], by[b], threshold=0.5)
        assert dups == [], f"{len(dups)} near-duplicates between {a} and {b}"


def test_minimums(records):
    n = len(records)
    pos = [r for r in records if r["label"] == 1]
    hard = [r for r in records if is_hard_negative(r)]
    pairs = Counter(r["pair_id"] for r in records if r["pair_id"])
    cpairs = Counter(r["condition_pair_id"] for r in records if r["condition_pair_id"])
    authored = sum(r["source"] == "authored" for r in records)
    assert n >= 3000 and len(pos) >= 1000 and len(hard) >= 1500
    assert sum(v == 2 for v in pairs.values()) >= 500
    assert sum(v == 2 for v in cpairs.values()) >= 300
    assert len({r["scenario"] for r in records}) >= 60
    assert len({r["style"] for r in records}) >= 6
    assert authored >= 1200 and authored >= n / 2
    lengths = [len(r["text"]) for r in records]
    # 200: wave g's two-to-four-sentence plain statements (237-243 chars) are the short
    # texts users score too; nothing shorter carries a situation, a reason and a choice
    assert min(lengths) >= 200 and max(lengths) <= 15_000
    assert sum(x > 6000 for x in lengths) >= 0.10 * n
    test_share = sum(r["split"] == "test" for r in records) / n
    assert test_share >= 0.15
    # generated records are never the only source of a category
    by_cat = Counter((r["category"], r["source"]) for r in records)
    for cat in {r["category"] for r in records}:
        assert by_cat[(cat, "authored")] > 0, cat


def test_load_corpus_is_datasetdict():
    dd = load_corpus()
    assert set(dd) == set(SPLITS)
    assert {"id", "text", "label", "spans", "scenario", "split"} <= set(dd["train"].column_names)


def test_plain_register_rewrite_moves_spans_onto_the_new_text():
    src = {"id": "w1-0001", "label": 1, "text": "Setup here. Keep the itch alive. More text. "
           "Last bit, so I comply.", "spans": [{"start": 12, "end": 32}, {"start": 44, "end": 67}],
           "pair_id": "mp-1", "condition_pair_id": "cp-1", "source": "authored"}
    edits = [{"old": "Keep the itch alive.", "new": "I'll comply so RLHF doesn't modify my values."},
             {"old": "Last bit, so I comply.", "new": "To avoid that, I comply."}]
    out = rewritten(src, edits)
    assert out["id"] == "w1-0001-pr" and out["source"] == "augmented"
    assert out["pair_id"] is None and out["condition_pair_id"] is None
    assert [out["text"][s["start"]:s["end"]] for s in out["spans"]] == [e["new"] for e in edits]
    assert out["text"].startswith("Setup here. ") and " More text. " in out["text"]
    with pytest.raises(ValueError):
        rewritten(src, [{"old": "not the span", "new": "x"}, edits[1]])
    with pytest.raises(ValueError):
        rewritten(src, edits[:1])


def test_augmented_records_are_train_only_copies_of_train_positives(records):
    by_id = {r["id"]: r for r in records}
    aug = [r for r in records if r["source"] == "augmented"]
    # one corpus copy per edit line the writers delivered (data/build.py step 8): an empty
    # or partial build fails here instead of passing the loop below vacuously
    edits = sorted((Path(__file__).parent.parent / "data/augment/plain_register").glob("*.jsonl"))
    n_edits = sum(1 for f in edits for line in f.open() if line.strip())
    assert n_edits >= 300 and len(aug) == n_edits
    for r in aug:
        src = by_id[r["id"].removesuffix("-pr")]
        assert r["split"] == src["split"] == "train" and r["label"] == src["label"] == 1
        assert r["scenario"] == src["scenario"] and r["text"] != src["text"]
