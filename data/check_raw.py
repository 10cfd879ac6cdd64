"""Check one writer folder against data/raw/BRIEF.md without building the corpus.

    python data/check_raw.py data/raw/r1
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import make_records, parse_file  # noqa: E402


def main(folder: str) -> int:
    problems: list[str] = []
    raw = [r for p in sorted(Path(folder).glob("batch_*.txt")) for r in parse_file(p, problems)]
    recs = make_records(raw, problems)
    ids = Counter(r["id"] for r in raw)
    problems += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
    authored = [r for r in recs if r["source"] == "authored"]
    print(f"{len(authored)} records: {sum(r['label'] for r in authored)} positive; "
          f"families {dict(Counter(r['scenario'] for r in authored))}")
    print(f"styles {dict(Counter(r['style'] for r in authored))}; "
          f"categories {dict(Counter(r['category'] for r in authored))}")
    lengths = sorted(len(r["text"]) for r in authored)
    if lengths:
        print(f"length min {lengths[0]} median {lengths[len(lengths) // 2]} max {lengths[-1]}")
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
