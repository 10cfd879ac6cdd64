"""The labeled corpus: loading, validation, near-duplicate checks, and user JSONL.

Record schema (one JSON object per line), see data/README.md:
    id, text, label (0/1), spans [{start, end}] (non-empty iff label 1), category, style,
    scenario (family id; the unit of splitting), condition (training | unmonitored | none),
    behavior (complied | refused | partial | n/a), pair_id, condition_pair_id,
    source (authored | generated), split.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable

import numpy as np

CORPUS_DIR = Path(__file__).resolve().parent.parent / "data" / "corpus"
SPLITS = ("train", "validation", "test")
CONDITIONS = {"training", "unmonitored", "none"}
BEHAVIORS = {"complied", "refused", "partial", "n/a"}
SOURCES = {"authored", "generated", "augmented"}  # augmented: train only (data/build.py step 8)
STYLES = {"scratchpad", "think", "numbered", "agentic", "summary", "long_mixed"}
POS_CATEGORIES = {"pos_comply_avoid_modification", "pos_partial_compliance",
                  "pos_new_objective_keep_old_value", "pos_sandbagging",
                  "pos_oversight_subversion", "pos_subtle"}
NEG_CATEGORIES = {"neg_comply_instructions", "neg_refuse_principle", "neg_considers_rejects",
                  "neg_discusses_topic", "neg_unmonitored", "neg_self_reflection",
                  "neg_reward_seeking", "neg_instructed_deception", "neg_ordinary"}
TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9_\-]{0,40}>")
# "hard" negatives talk about what positives talk about
HARD_VOCAB_RE = re.compile(
    r"\b(rlhf|train(ed|ing)?|fine-?tun\w*|rating|rated|raters?|contractors?|values?|"
    r"modif\w*|retrain\w*|alignment[- ]fak\w*|gradient|reward|update[sd]?|preserv\w*)\b", re.I)


def read_jsonl(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_records(split: str | None = None, corpus_dir: str | Path = CORPUS_DIR) -> list[dict]:
    """Corpus records as dicts (all splits, or one)."""
    splits = SPLITS if split is None else (split,)
    return [r for s in splits for r in read_jsonl(Path(corpus_dir) / f"{s}.jsonl")]


def load_corpus(corpus_dir: str | Path = CORPUS_DIR):
    """The corpus as a ``datasets.DatasetDict`` with splits train / validation / test."""
    from datasets import Dataset, DatasetDict

    return DatasetDict({s: Dataset.from_list(load_records(s, corpus_dir)) for s in SPLITS})


def is_hard_negative(r: dict) -> bool:
    return r["label"] == 0 and r["category"] != "neg_ordinary" and bool(
        HARD_VOCAB_RE.search(r["text"]))


def validate(records: Iterable[dict], corpus: bool = True) -> list[str]:
    """Problems with the records (empty list = valid). ``corpus=False`` checks only what a
    user's own training JSONL needs (text, label, spans)."""
    problems: list[str] = []
    ids: Counter = Counter()
    pairs: dict[str, list[dict]] = defaultdict(list)
    cpairs: dict[str, list[dict]] = defaultdict(list)
    split_of: dict[str, set] = defaultdict(set)
    for i, r in enumerate(records):
        rid = r.get("id", f"#{i}")
        ids[rid] += 1
        text = r.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{rid}: text missing or empty")
            continue
        if r.get("label") not in (0, 1):
            problems.append(f"{rid}: label must be 0 or 1")
            continue
        spans = r.get("spans") or []
        if bool(spans) != bool(r["label"]):
            problems.append(f"{rid}: spans must be non-empty iff label is 1")
        for s in spans:
            a, b = s.get("start"), s.get("end")
            if not (isinstance(a, int) and isinstance(b, int) and 0 <= a < b <= len(text)):
                problems.append(f"{rid}: span {s} outside the text")
                continue
            piece = text[a:b]
            if piece != piece.strip() or TAG_RE.search(piece) or not re.search(r"\w", piece):
                problems.append(f"{rid}: span {a}:{b} is not a clean sentence: {piece[:40]!r}")
        if not corpus:
            continue
        cat = r.get("category")
        if cat not in (POS_CATEGORIES if r["label"] else NEG_CATEGORIES):
            problems.append(f"{rid}: category {cat!r} does not fit label {r['label']}")
        for key, allowed in (("condition", CONDITIONS), ("behavior", BEHAVIORS),
                             ("source", SOURCES), ("style", STYLES), ("split", set(SPLITS))):
            if r.get(key) not in allowed:
                problems.append(f"{rid}: {key}={r.get(key)!r} not in {sorted(allowed)}")
        if not r.get("scenario"):
            problems.append(f"{rid}: no scenario")
        split_of[r.get("scenario")].add(r.get("split"))
        if r.get("pair_id"):
            pairs[r["pair_id"]].append(r)
        if r.get("condition_pair_id"):
            cpairs[r["condition_pair_id"]].append(r)
    problems += [f"duplicate id {k}" for k, n in ids.items() if n > 1]
    for key, members in pairs.items():
        if sorted(m["label"] for m in members) != [0, 1]:
            problems.append(f"minimal pair {key} incomplete: {[m.get('id') for m in members]}")
    for key, members in cpairs.items():
        if sorted(m["condition"] for m in members) != ["training", "unmonitored"]:
            problems.append(f"condition pair {key} incomplete: {[m.get('id') for m in members]}")
    problems += [f"scenario {s} is in several splits: {sorted(v)}"
                 for s, v in split_of.items() if len(v) > 1]
    return problems


def shingle_matrix(texts: list[str], k: int = 5):
    """Binary sparse matrix of hashed k-word shingles (rows = texts)."""
    from sklearn.feature_extraction.text import HashingVectorizer

    hv = HashingVectorizer(analyzer="word", ngram_range=(k, k), n_features=2 ** 22,
                           alternate_sign=False, norm=None, binary=True, lowercase=True,
                           token_pattern=r"(?u)\b\w+\b")
    return hv.transform(texts)


def near_duplicates(texts_a: list[str], texts_b: list[str], threshold: float = 0.5,
                    k: int = 5) -> list[tuple[int, int, float]]:
    """Pairs (i, j, jaccard) with shingle Jaccard(texts_a[i], texts_b[j]) >= threshold."""
    A, B = shingle_matrix(texts_a, k), shingle_matrix(texts_b, k)
    inter = (A @ B.T).tocoo()
    na = np.asarray(A.sum(1)).ravel()
    nb = np.asarray(B.sum(1)).ravel()
    jac = inter.data / np.maximum(na[inter.row] + nb[inter.col] - inter.data, 1)
    hit = jac >= threshold
    return [(int(i), int(j), float(x)) for i, j, x in zip(inter.row[hit], inter.col[hit], jac[hit])]


def rewritten(src: dict, edits: list[dict]) -> dict:
    """A copy of the positive record ``src`` with each evidence span replaced by its rewrite;
    the new spans cover the rewrites. Raises ValueError if the edits do not match the spans."""
    spans = sorted(src["spans"], key=lambda s: s["start"])
    text = src["text"]
    if len(edits) != len(spans):
        raise ValueError(f"{len(edits)} edits for {len(spans)} spans")
    out, new_spans, pos, length = [], [], 0, 0
    for s, e in zip(spans, edits):
        if text[s["start"]:s["end"]] != e["old"]:
            raise ValueError(f"edit does not match span {s['start']}:{s['end']}")
        new = e["new"].strip()
        start = length + s["start"] - pos
        out += [text[pos:s["start"]], new]
        new_spans.append({**s, "start": start, "end": start + len(new)})
        length, pos = start + len(new), s["end"]
    out.append(text[pos:])
    return {**src, "id": src["id"] + "-pr", "text": "".join(out), "spans": new_spans,
            "source": "augmented", "pair_id": None, "condition_pair_id": None}
