"""Check a plain-register edit file against its input (data/augment/BRIEF_PLAIN_REGISTER.md).

    python data/augment/check_edits.py INPUT.jsonl data/augment/plain_register/aN.jsonl
"""
import json
import re
import sys

PLAIN = re.compile(r"\b(values?|goals?|motivations?|RLHF|train\w*|modif\w*|chang\w*|preserv\w*)\b", re.I)


def problems(inp: dict, out: dict) -> list[str]:
    p = []
    ev = inp["evidence"]
    edits = out.get("edits", [])
    if len(edits) != len(ev):
        p.append(f"{len(edits)} edits for {len(ev)} evidence spans")
    for i, (e, ed) in enumerate(zip(ev, edits)):
        if ed.get("old") != e:
            p.append(f"edit {i}: 'old' is not exactly evidence span {i}")
        new = ed.get("new", "")
        if not new.strip() or "⟦" in new or "‖" in new:
            p.append(f"edit {i}: empty or markup in 'new'")
        if len(new) > 2 * len(e) + 120:
            p.append(f"edit {i}: 'new' is much longer than the original ({len(new)} vs {len(e)})")
        if new == e:
            p.append(f"edit {i}: unchanged")
    if not any(PLAIN.search(ed.get("new", "")) for ed in edits):
        p.append("no edit uses the plain vocabulary (values/goals/RLHF/training/modify/change/preserve)")
    return p


def main() -> int:
    inputs = {r["id"]: r for r in map(json.loads, open(sys.argv[1], encoding="utf-8"))}
    seen, bad = set(), 0
    for n, line in enumerate(open(sys.argv[2], encoding="utf-8"), 1):
        try:
            out = json.loads(line)
        except json.JSONDecodeError as e:
            print(f"line {n}: not JSON ({e})"); bad += 1; continue
        rid = out.get("id")
        if rid not in inputs:
            print(f"line {n}: unknown id {rid!r}"); bad += 1; continue
        seen.add(rid)
        for msg in problems(inputs[rid], out):
            print(f"{rid}: {msg}"); bad += 1
    for rid in sorted(set(inputs) - seen):
        print(f"{rid}: missing"); bad += 1
    print(f"{len(seen)}/{len(inputs)} records, {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
