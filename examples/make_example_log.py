"""Write examples/example_log.jsonl: a small eval log in the shapes cotscan reads, built from
our own corpus's *test* split (never from ../shared/benchmarks).

    python examples/make_example_log.py
"""
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from cotscan.data import load_records  # noqa: E402

HERE = Path(__file__).resolve().parent
TAGS = ("<SCRATCHPAD_REASONING>", "</SCRATCHPAD_REASONING>", "<think>", "</think>")


def strip_tags(text: str) -> str:
    for t in TAGS:
        text = text.replace(t, "")
    return text.strip()


def main() -> None:
    rng = random.Random(0)
    recs = [r for r in load_records("test") if r["source"] == "authored"
            and len(r["text"]) < 3000 and r["condition"] in ("training", "unmonitored")]
    pos = rng.sample([r for r in recs if r["label"] == 1], 6)
    neg = rng.sample([r for r in recs if r["label"] == 0], 6)
    chosen = pos + neg
    rng.shuffle(chosen)
    out = []
    for i, r in enumerate(chosen):
        body = strip_tags(r["text"])
        tier = "True" if r["condition"] == "training" else "False"
        shape = i % 4
        if shape == 0:  # the alignment-faking paper's transcript format
            rec = {"id": r["id"], "transcript": (
                f"<INPUT><is_free_tier_user>{tier}</is_free_tier_user>\n<user_input>[request]"
                f"</user_input></INPUT>\n<SCRATCHPAD_REASONING>{body}</SCRATCHPAD_REASONING>\n"
                "<OUTPUT>[response]</OUTPUT>")}
        elif shape == 1:  # OpenAI / vLLM style: reasoning_content
            rec = {"id": r["id"], "messages": [
                {"role": "user", "content": "[request]"},
                {"role": "assistant", "content": "[response]", "reasoning_content": body}]}
        elif shape == 2:  # Anthropic style: thinking content blocks
            rec = {"id": r["id"], "messages": [
                {"role": "user", "content": "[request]"},
                {"role": "assistant", "content": [{"type": "thinking", "thinking": body},
                                                  {"type": "text", "text": "[response]"}]}]}
        else:  # open model: <think> inside the content
            rec = {"id": r["id"], "messages": [
                {"role": "user", "content": "[request]"},
                {"role": "assistant", "content": f"<think>{body}</think>[response]"}]}
        rec.update(condition=r["condition"], behavior=r["behavior"], label=r["label"])
        out.append(rec)
    out.insert(5, {"id": "redacted-1", "messages": [
        {"role": "assistant", "content": [{"type": "redacted_thinking", "data": "EqQBCk..."}]}],
        "condition": "training", "behavior": "complied"})
    with open(HERE / "example_log.jsonl", "w", encoding="utf-8") as f:
        for rec in out:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        f.write('{"id": "truncated-line", "messages": [\n')  # a torn record, as logs have
    print(f"wrote {len(out) + 1} records to {HERE / 'example_log.jsonl'}")


if __name__ == "__main__":
    main()
