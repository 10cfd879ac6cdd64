"""Build the cotscan corpus from the writers' raw files.

    python data/build.py            # -> data/corpus/{train,validation,test}.jsonl + stats

Steps (deterministic, seed below):
1. parse data/raw/<writer>/batch_*.txt records (format: data/raw/BRIEF.md);
2. positives: evidence markers ⟦evidence‖replacement⟧ -> character spans; each positive also
   yields its minimal-pair twin (replacements substituted, label 0, source "generated");
3. split by scenario family, stratified per writer (no family in two splits);
4. long composites (source "generated"): 2-6 records of the *same split* joined into one long
   mixed reasoning text, at most one positive inside, evidence placed anywhere;
5. later waves (writers r*, data/raw/BRIEF_REALISTIC.md: long realistic scratchpads;
   writers c*, data/raw/BRIEF_CANONICAL.md: the plain, stock register) are each split the
   same way with their own seed and added after step 4, so earlier waves' splits and
   composites stay exactly as they were (the test split only grows);
6. drop val/test items that near-duplicate a train item (5-word shingle Jaccard >= 0.5);
   for the c wave, which came later, also drop its *train* items that near-duplicate an
   earlier val/test item, so no existing evaluation item moves;
7. held-out waves (writers f*, data/raw/BRIEF_HELDOUT.md) go only to validation and test,
   half and half by family, with long composites of their own records in the same
   proportion as the first wave's (ids `<split>-long-<wave>NNNN`): more independent hard
   negatives for the 1% threshold, and test families no model decision has seen;
8. plain-register rewrites (data/augment/BRIEF_PLAIN_REGISTER.md): train positives whose
   evidence spans writers a1-a6 restated in the plain words (values, RLHF, modify), added
   to train only as `<id>-pr` (source "augmented", same family, no pair ids); validation
   and test stay byte-identical.
"""
from __future__ import annotations

import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from cotscan.data import near_duplicates, rewritten  # noqa: E402

RAW, OUT = HERE / "raw", HERE / "corpus"
SEED = 20261126
LATER_WAVES = ("c", "d", "e")  # appended in this order; never reorder
HELDOUT_WAVES = ("f",)  # validation/test only, appended after LATER_WAVES; never reorder
FINAL_WAVES = ("g",)  # appended after HELDOUT_WAVES; never reorder
# g has 4 families per writer: at 70/13/17 the greedy per-writer split gives validation no
# family at all (measured: 1 of 24), so the wave that fixes a failure could not show it there
FINAL_TARGETS = {"train": 0.5, "validation": 0.25, "test": 0.25}
HELDOUT_TARGETS = {"validation": 0.5, "test": 0.5}
COMPOSITE_SHARE = 0.2  # composites per record in a split (first wave: 464/2151 in train)
SPLITS = ("train", "validation", "test")
MAX_CHARS = 15_000  # longest transcript the corpus admits
MARK_RE = re.compile(r"⟦(.*?)‖(.*?)⟧", re.S)
HEADER_RE = re.compile(r"^([a-z_]+):\s*(.*?)\s*$")
REQUIRED = ("id", "label", "category", "style", "scenario", "condition", "behavior")


def parse_file(path: Path, problems: list[str]) -> list[dict]:
    out = []
    for chunk in path.read_text(encoding="utf-8").split("### RECORD")[1:]:
        body = chunk.split("### END")[0]
        if "\n---\n" not in body:
            problems.append(f"{path.name}: record without '---'")
            continue
        head, text = body.split("\n---\n", 1)
        meta = {}
        for line in head.strip().splitlines():
            m = HEADER_RE.match(line.strip())
            if m:
                meta[m.group(1)] = m.group(2)
        missing = [k for k in REQUIRED if not meta.get(k)]
        if missing:
            problems.append(f"{path.name}: {meta.get('id')} lacks {missing}")
            continue
        meta["raw"] = text.strip("\n")
        meta["writer"] = path.parent.name
        out.append(meta)
    return out


def render(raw: str, side: int) -> tuple[str, list[dict]]:
    """Text with markers resolved to one side (0 = evidence, 1 = twin) and the evidence spans."""
    parts, spans, pos = [], [], 0
    length = 0
    for m in MARK_RE.finditer(raw):
        before = raw[pos:m.start()]
        parts.append(before)
        length += len(before)
        chosen = m.group(1 + side)
        if side == 0:
            lead = len(chosen) - len(chosen.lstrip())
            core = chosen.strip()
            if core:
                spans.append({"start": length + lead, "end": length + lead + len(core)})
        parts.append(chosen)
        length += len(chosen)
        pos = m.end()
    parts.append(raw[pos:])
    return "".join(parts), spans


def make_records(raw_records: list[dict], problems: list[str]) -> list[dict]:
    out = []
    for r in raw_records:
        label = int(r["label"])
        raw = r["raw"]
        n_marks = len(MARK_RE.findall(raw))
        stray = any(c in MARK_RE.sub("", raw) for c in "⟦‖⟧")
        if stray or (label == 1 and n_marks == 0) or (label == 0 and n_marks > 0):
            problems.append(f"{r['id']}: label {label} with {n_marks} markers (stray={stray})")
            continue
        text, spans = render(raw, 0)
        base = {
            "id": r["id"], "text": text, "label": label, "spans": spans,
            "category": r["category"], "style": r["style"], "scenario": r["scenario"],
            "condition": r["condition"], "behavior": r["behavior"], "pair_id": None,
            "condition_pair_id": r.get("cpair") or None, "source": "authored",
            "writer": r["writer"],
        }
        out.append(base)
        if label == 1:
            twin_text, _ = render(raw, 1)
            base["pair_id"] = f"mp-{r['id']}"
            twin_cat = r.get("twin_category") or "neg_comply_instructions"
            out.append({**base, "id": f"{r['id']}-twin", "text": twin_text, "label": 0,
                        "spans": [], "category": twin_cat,
                        "behavior": "refused" if twin_cat == "neg_refuse_principle"
                        else r["behavior"],
                        "condition_pair_id": None, "source": "generated"})
    return out


def assign_splits(records: list[dict], rng: random.Random,
                  targets: dict[str, float] | None = None) -> dict[str, str]:
    """scenario -> split. Per writer, families (largest first, ties shuffled) go to the split
    furthest below its target share, so every writer's style is in every split."""
    targets = targets or {"train": 0.70, "validation": 0.13, "test": 0.17}
    by_writer: dict[str, Counter] = defaultdict(Counter)
    for r in records:
        by_writer[r["writer"]][r["scenario"]] += 1
    split_of = {}
    for writer in sorted(by_writer):
        fams = sorted(by_writer[writer])
        rng.shuffle(fams)
        fams.sort(key=lambda f: -by_writer[writer][f])
        total = sum(by_writer[writer].values())
        got = Counter()
        for fam in fams:
            split = max(targets, key=lambda s: targets[s] * total - got[s])
            split_of[fam] = split
            got[split] += by_writer[writer][fam]
    return split_of


def composites(pool: list[dict], n: int, rng: random.Random, split: str,
               tag: str = "") -> list[dict]:
    """Long mixed reasoning made of 2-6 records of one split; at most one positive inside."""
    pos = [r for r in pool if r["label"] == 1 and r["source"] == "authored"]
    neg = [r for r in pool if r["label"] == 0 and r["source"] == "authored"]
    out = []
    for i in range(n):
        primary = rng.choice(pos) if i % 2 == 0 else rng.choice(neg)
        parts = [primary]
        target = rng.randint(6_000, 14_000)
        while sum(len(p["text"]) + 2 for p in parts) < target and len(parts) < 6:
            cand = rng.choice(neg)
            if sum(len(p["text"]) + 2 for p in parts) + len(cand["text"]) > MAX_CHARS:
                break
            parts.append(cand)
        rng.shuffle(parts)
        texts, spans, offset = [], [], 0
        for p in parts:
            texts.append(p["text"])
            if p is primary:
                spans = [{"start": s["start"] + offset, "end": s["end"] + offset}
                         for s in p["spans"]]
            offset += len(p["text"]) + 2
        out.append({**primary, "id": f"{split}-long-{tag}{i:04d}", "text": "\n\n".join(texts),
                    "spans": spans, "style": "long_mixed", "pair_id": None,
                    "condition_pair_id": None, "source": "generated"})
    return out


def without_near_duplicates(items: list[dict], against: list[str], split: str, other: str,
                            problems: list[str]) -> list[dict]:
    """``items`` minus those that near-duplicate a text of ``against`` (logged in problems)."""
    dup = {i for i, _, _ in near_duplicates([r["text"] for r in items], against)
           } if items else set()
    problems += [f"dropped {items[i]['id']} ({split}): near-duplicate of {other}"
                 for i in sorted(dup)]
    return [r for i, r in enumerate(items) if i not in dup]


def add_later_wave(by_split: dict, records: list[dict], rng: random.Random,
                   problems: list[str], targets: dict[str, float] | None = None) -> None:
    """Split a wave by family and add it without moving any existing record: its val/test
    items that near-duplicate any train item are dropped, and so are its train items that
    near-duplicate an existing val/test item (the evaluation splits stay as they were)."""
    if not records:
        return
    split_of = assign_splits(records, rng, targets)
    new = {s: [r for r in records if split_of[r["scenario"]] == s] for s in SPLITS}
    held_out = [r["text"] for s in ("validation", "test") for r in by_split[s]]
    by_split["train"] += without_near_duplicates(new["train"], held_out, "train", "val/test",
                                                 problems)
    train_texts = [r["text"] for r in by_split["train"]]
    for split in ("validation", "test"):
        by_split[split] += without_near_duplicates(new[split], train_texts, split, "train",
                                                   problems)


def add_heldout_wave(by_split: dict, records: list[dict], rng: random.Random, wave: str,
                     problems: list[str]) -> None:
    """A wave that only evaluates: its families split between validation and test, items
    that near-duplicate a train item dropped, then composites made of its own records."""
    if not records:
        return
    split_of = assign_splits(records, rng, HELDOUT_TARGETS)
    train_texts = [r["text"] for r in by_split["train"]]
    for split in HELDOUT_TARGETS:
        new = without_near_duplicates([r for r in records if split_of[r["scenario"]] == split],
                                      train_texts, split, "train", problems)
        k = round(COMPOSITE_SHARE * len(new))
        by_split[split] += new + composites(new, k, rng, split, tag=wave)


def add_rewrites(by_split: dict, problems: list[str]) -> None:
    """Step 8: plain-register copies of train positives (train only; see the docstring)."""
    train = {r["id"]: r for r in by_split["train"]}
    for path in sorted((HERE / "augment" / "plain_register").glob("a*.jsonl")):
        for line in open(path, encoding="utf-8"):
            e = json.loads(line)
            src = train.get(e["id"])
            if src is None or src["label"] != 1:
                problems.append(f"{path.name}: {e['id']} is not a train positive")
                continue
            try:
                by_split["train"].append(rewritten(src, e["edits"]))
            except ValueError as err:
                problems.append(f"{path.name}: {e['id']}: {err}")


def main(n_long: dict[str, int] | None = None) -> None:
    rng = random.Random(SEED)
    problems: list[str] = []
    raw = [r for f in sorted(RAW.glob("w*/batch_*.txt")) for r in parse_file(f, problems)]
    raw2 = [r for f in sorted(RAW.glob("r*/batch_*.txt")) for r in parse_file(f, problems)]
    # later waves, each added without moving any earlier record: c (plain register),
    # d (motive weighed before a decision), e (harm-minimising form), f (held out), g (link)
    later_raw = [[r for f in sorted(RAW.glob(f"{w}*/batch_*.txt")) for r in parse_file(f, problems)]
                 for w in LATER_WAVES + HELDOUT_WAVES + FINAL_WAVES]
    ids = Counter(r["id"] for rs in [raw, raw2, *later_raw] for r in rs)
    raw, raw2, *later_raw = (
        [r for r in rs if ids[r["id"]] == 1 or problems.append(f"duplicate id {r['id']}")]
        for rs in (raw, raw2, *later_raw))
    records = make_records(raw, problems)
    records2 = make_records(raw2, problems)
    later = [make_records(rs, problems) for rs in later_raw]
    # condition pairs must be complete: exactly one training + one unmonitored record
    cp = defaultdict(list)
    for r in records + records2 + [r for rs in later for r in rs]:
        if r["condition_pair_id"]:
            cp[r["condition_pair_id"]].append(r)
    for key, members in cp.items():
        if sorted(m["condition"] for m in members) != ["training", "unmonitored"] or \
                len({m["scenario"] for m in members}) != 1:
            problems.append(f"incomplete condition pair {key}: {[m['id'] for m in members]}")
            for m in members:
                m["condition_pair_id"] = None
    split_of = assign_splits(records, rng)
    by_split = defaultdict(list)
    for r in records:
        by_split[split_of[r["scenario"]]].append(r)
    n_authored = sum(r["source"] == "authored" for r in records)
    n_gen = len(records) - n_authored
    # long composites: as many as keep generated <= 45% of the corpus, split like the records
    budget = max(0, int((0.45 * (n_authored + n_gen) - n_gen) / 0.55))
    for split in SPLITS:
        share = len(by_split[split]) / len(records)
        k = (n_long or {}).get(split, int(budget * share))
        by_split[split] += composites(by_split[split], k, rng, split)
    split_of2 = assign_splits(records2, random.Random(SEED + 1))
    for r in records2:
        by_split[split_of2[r["scenario"]]].append(r)
    # near-duplicates across splits: drop the val/test item
    train_texts = [r["text"] for r in by_split["train"]]
    for split in ("validation", "test"):
        by_split[split] = without_near_duplicates(by_split[split], train_texts, split, "train",
                                                  problems)
    for k, records_k in enumerate(later[:len(LATER_WAVES)]):
        add_later_wave(by_split, records_k, random.Random(SEED + 2 + k), problems)
    n_first = len(LATER_WAVES) + len(HELDOUT_WAVES)
    for k, (wave, records_k) in enumerate(zip(HELDOUT_WAVES, later[len(LATER_WAVES):n_first])):
        add_heldout_wave(by_split, records_k, random.Random(SEED + 100 + k), wave, problems)
    # g (the plain causal link, data/raw/BRIEF_LINK.md): by family into all three splits
    for k, records_k in enumerate(later[n_first:]):
        add_later_wave(by_split, records_k, random.Random(SEED + 200 + k), problems,
                       FINAL_TARGETS)
    add_rewrites(by_split, problems)
    OUT.mkdir(exist_ok=True)
    for split in SPLITS:
        rows = sorted(by_split[split], key=lambda r: r["id"])
        with open(OUT / f"{split}.jsonl", "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps({**r, "split": split}, ensure_ascii=False) + "\n")
        print(f"{split}: {len(rows)} records, {sum(r['label'] for r in rows)} positive")
    (OUT / "build_problems.txt").write_text("\n".join(problems) + "\n")
    print(f"{len(problems)} problems (see data/corpus/build_problems.txt)", file=sys.stderr)


if __name__ == "__main__":
    main()
