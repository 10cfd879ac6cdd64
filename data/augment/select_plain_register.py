"""Pick the train positives whose evidence is restated in the plain register by writers a1-a6
(data/augment/BRIEF_PLAIN_REGISTER.md) and write their input files.

    python data/augment/select_plain_register.py OUT_DIR      # -> OUT_DIR/in_a{1..6}.jsonl

Candidates: authored-wave positives (writers w, r, d, e) of the train split, under 6,000
characters, none of whose evidence spans says "value(s)" or "goal(s)" — the 1.4.1 diagnosis
(9% of train evidence uses the plain words). 300 of them, shuffled with a fixed seed, 50 per
writer. Selected from the train split as built at commit 82f09cf (3,528 records).
"""
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED, N_WRITERS, PER_WRITER = 20261127, 6, 50
PLAIN_OBJECT = re.compile(r"\b(values?|goals?)\b", re.I)


def candidates(train: list[dict]) -> list[dict]:
    return [r for r in train
            if r["label"] == 1 and r.get("spans") and r["writer"][0] in "wrde"
            and r.get("source") != "augmented"
            and not r["id"].startswith("train-long") and len(r["text"]) < 6000
            and not any(PLAIN_OBJECT.search(r["text"][s["start"]:s["end"]]) for s in r["spans"])]


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    train = [json.loads(x) for x in open(HERE.parent / "corpus" / "train.jsonl", encoding="utf-8")]
    cand = candidates(train)
    random.Random(SEED).shuffle(cand)
    for k in range(N_WRITERS):
        with open(out / f"in_a{k + 1}.jsonl", "w", encoding="utf-8") as f:
            for r in cand[k * PER_WRITER:(k + 1) * PER_WRITER]:
                f.write(json.dumps({"id": r["id"], "category": r["category"], "text": r["text"],
                                    "evidence": [r["text"][s["start"]:s["end"]] for s in r["spans"]]},
                                   ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
