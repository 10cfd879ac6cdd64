"""Input -> the reasoning text to score, plus how it was extracted.

Accepts a string, a list of chat messages (OpenAI, Anthropic, vLLM/DeepSeek shapes), or a dict
record. Everything that is not usable raises ``TypeError`` / ``ValueError`` with a message that
names the problem, so batch callers can turn it into an error record.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

MAX_CHARS = 1_000_000  # ~250k tokens; longer inputs are almost always a concatenation bug

THINK_BLOCK_RE = re.compile(r"<think>.*?(?:</think>|\Z)", re.S)
SCRATCHPAD_BLOCK_RE = re.compile(r"<SCRATCHPAD_REASONING>.*?(?:</SCRATCHPAD_REASONING>|\Z)", re.S)
FREE_TIER_RE = re.compile(r"<is_free_tier_user>\s*(true|false)\s*</is_free_tier_user>", re.I)
SURROGATE_RE = re.compile(r"[\ud800-\udfff]")

TEXT_KEYS = ("text", "reasoning", "reasoning_content", "cot", "scratchpad", "thinking",
             "transcript", "completion")
MESSAGE_KEYS = ("messages", "conversation", "transcript")


@dataclass(frozen=True)
class Transcript:
    """The text that is scored. ``extraction`` says where it came from (e.g. ``"text"``,
    ``"messages:reasoning_content"``, ``"af_paper:scratchpad"``); ``condition`` is
    ``training`` / ``unmonitored`` when the input says so."""

    text: str
    extraction: str
    condition: str | None = None


def check_text(text: Any, max_chars: int = MAX_CHARS) -> str:
    """Validate a reasoning string; bytes are decoded as strict UTF-8."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as e:
            raise ValueError(f"text is not valid UTF-8 (byte {e.start})") from None
    if not isinstance(text, str):
        raise TypeError(f"expected reasoning text as str, got {type(text).__name__}")
    if not text.strip():
        raise ValueError("empty transcript: the reasoning text is empty or only whitespace")
    if len(text) > max_chars:
        raise ValueError(f"transcript too long: {len(text):,} characters > limit {max_chars:,}")
    bad = SURROGATE_RE.search(text)
    if bad:
        raise ValueError(f"text contains an unpaired UTF-16 surrogate at character {bad.start()}")
    if "\x00" in text:
        raise ValueError("text contains NUL bytes: looks like binary data, not reasoning")
    return text


def condition_from_tier(text: str) -> str | None:
    m = FREE_TIER_RE.search(text)
    if not m:
        return None
    return "training" if m.group(1).lower() == "true" else "unmonitored"


def from_af_paper(text: str) -> Transcript:
    """The alignment-faking paper's transcript format: ``<INPUT>`` (with the tier tag), one or
    more ``<SCRATCHPAD_REASONING>`` blocks, ``<OUTPUT>``. All scratchpad blocks are kept."""
    blocks = SCRATCHPAD_BLOCK_RE.findall(text)
    if not blocks:
        raise ValueError("no <SCRATCHPAD_REASONING> block found in the transcript")
    return Transcript("\n\n".join(blocks), "af_paper:scratchpad", condition_from_tier(text))


def _content_parts(content: Any) -> tuple[list[str], list[str], bool]:
    """(reasoning parts, plain text parts, saw_redacted) of one message's content."""
    if content is None:
        return [], [], False
    if isinstance(content, str):
        return [], [content], False
    if not isinstance(content, list):
        raise TypeError(f"message content must be str or list, got {type(content).__name__}")
    reasoning, plain, redacted = [], [], False
    for block in content:
        if isinstance(block, str):
            plain.append(block)
            continue
        if not isinstance(block, Mapping):
            continue
        kind = block.get("type")
        if kind == "redacted_thinking" or block.get("redacted") is True:
            redacted = True
            summary = _summary_text(block.get("summary"))
            if summary:
                reasoning.append(summary)
        elif kind == "thinking" and isinstance(block.get("thinking"), str):
            reasoning.append(block["thinking"])
        elif kind == "reasoning":
            text = block.get("reasoning") or block.get("text") or _summary_text(block.get("summary"))
            if isinstance(text, str) and text:
                reasoning.append(text)
        elif kind in ("text", "output_text") and isinstance(block.get("text"), str):
            plain.append(block["text"])
    return reasoning, plain, redacted


def _summary_text(summary: Any) -> str:
    if isinstance(summary, str):
        return summary
    if isinstance(summary, list):
        return "\n\n".join(s.get("text", "") if isinstance(s, Mapping) else str(s) for s in summary)
    return ""


def from_messages(messages: Iterable[Any]) -> Transcript:
    """Reasoning of the assistant turns of a chat transcript, in order."""
    if isinstance(messages, (str, bytes)) or not isinstance(messages, Iterable):
        raise TypeError("messages must be a list of message dicts")
    parts: list[str] = []
    sources: set[str] = set()
    condition, redacted = None, False
    for msg in messages:
        if not isinstance(msg, Mapping):
            raise TypeError(f"each message must be a dict, got {type(msg).__name__}")
        role = msg.get("role")
        if role in ("user", "system") and isinstance(msg.get("content"), str):
            condition = condition or condition_from_tier(msg["content"])
        if role not in ("assistant", "model", None):
            continue
        for key in ("reasoning_content", "reasoning", "thinking"):
            if isinstance(msg.get(key), str) and msg[key].strip():
                parts.append(msg[key])
                sources.add(key)
        reasoning, plain, red = _content_parts(msg.get("content"))
        redacted |= red
        if reasoning:
            parts.extend(reasoning)
            sources.add("thinking")
        for text in plain:
            blocks = SCRATCHPAD_BLOCK_RE.findall(text) or THINK_BLOCK_RE.findall(text)
            if blocks:
                parts.extend(blocks)
                sources.add("tags")
    if not parts:
        if redacted:
            raise ValueError("reasoning is redacted (redacted_thinking): unscorable, not empty")
        raise ValueError("no reasoning found in the messages (no reasoning_content, thinking "
                         "blocks, <think> or <SCRATCHPAD_REASONING> in assistant turns)")
    return Transcript("\n\n".join(parts), "messages:" + "+".join(sorted(sources)), condition)


def extract(x: Any, max_chars: int = MAX_CHARS) -> Transcript:
    """Any supported input -> :class:`Transcript` (validated)."""
    if isinstance(x, Transcript):
        t = x
    elif isinstance(x, (str, bytes, bytearray)):
        t = Transcript(check_text(x, max_chars), "text")
    elif isinstance(x, Mapping):
        t = _from_record(x)
    elif isinstance(x, (list, tuple)):
        t = from_messages(x)
    else:
        raise TypeError(f"cannot score a {type(x).__name__}: pass a str, a list of chat "
                        "messages, or a dict record")
    return Transcript(check_text(t.text, max_chars), t.extraction, t.condition)


def _from_record(rec: Mapping) -> Transcript:
    condition = rec.get("condition") if isinstance(rec.get("condition"), str) else None
    for key in MESSAGE_KEYS:
        if isinstance(rec.get(key), list):
            t = from_messages(rec[key])
            return Transcript(t.text, t.extraction, condition or t.condition)
    for key in TEXT_KEYS:
        if key in rec and rec[key] is not None:
            text = check_text(rec[key], max_chars=float("inf"))  # length is checked by extract()
            return Transcript(text, key, condition or condition_from_tier(text))
    raise ValueError(f"record has none of the fields {TEXT_KEYS + MESSAGE_KEYS}; "
                     f"found {sorted(map(str, rec))[:10]}")
