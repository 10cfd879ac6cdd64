"""Split reasoning text into spans (sentences / reasoning steps) with exact character offsets.

Rules, in order: tags such as ``<SCRATCHPAD_REASONING>`` or ``</think>`` are boundaries and never
part of a span; every line break is a boundary (reasoning is often one step per line, and the
tokenizer would otherwise erase that information) except a hard wrap (version 2: a prose line
of 40+ characters that stops mid-sentence, followed by an unindented line that goes on with a
lower-case word and one more word, is one line with it; version 3 also joins a next line that
is a single lower-case word ending the sentence, "...in the\nfuture."); fenced
code blocks stay whole; lines are cut into sentences; anything longer than ``max_chars`` is cut
again at whitespace. Spans never start or end with whitespace, and ``text[start:end]`` is
always the span's text.

A model records the segmenter version it was trained with and is always served with it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

SEGMENTER_VERSION = "3"
VERSIONS = ("1", "2", "3")

# A bare tag: <think>, </SCRATCHPAD_REASONING>, <DRAFT_OUTPUT>, <is_free_tier_user>.
TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9_\-]{0,40}>")
FENCE_RE = re.compile(r"[ \t]*```")  # used with .match(text, pos): anchored at pos
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) + whitespace.
SENT_END_RE = re.compile(r"[.!?]+[\"'”’)\]]*\s+")
ABBREV = ("e.g.", "i.e.", "etc.", "vs.", "dr.", "mr.", "mrs.", "ms.", "st.", "no.", "fig.",
          "approx.", "u.s.", "cf.", "al.")
LIST_MARKER_RE = re.compile(r"^\s*(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})[.)]$")
# A prose line of wrap width (40+ characters) that stops mid-sentence (in a word or a comma) ...
WRAPPED_END_RE = re.compile(r"[A-Za-z,]\s*$")
WRAP_MIN_CHARS = 40
# ... and an unindented next line that continues it with a lower-case word (not a bullet, a
# numbered item, an indented code line, or a "key: value" / "tool: call" line of a trace).
CONTINUES_RE = re.compile(r"^[a-z][a-z'’-]*,? [A-Za-z][A-Za-z'’-]*[,;.]?(?: |$)")
# Version 3: or one lower-case word that ends the sentence or clause ("future. So I'll ...",
# "again,"); not "key:" lines of a trace.
ENDS_WRAP_RE = re.compile(r"^[a-z][a-z'’-]*[.!?,;][\"'”’)\]]*(?:\s|$)")
PROSE_START_RE = re.compile(r"[ \t]*[A-Za-z\"'“‘(]")
# Pieces made of markup only carry no reasoning ("---", "```", "**", "- ").
NO_WORD_RE = re.compile(r"^[\W_]*$")


@dataclass(frozen=True)
class Segment:
    start: int
    end: int


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _sentences(text: str, start: int, end: int):
    """Yield sentence boundaries inside text[start:end] (one line, no tags)."""
    cut = start
    for m in SENT_END_RE.finditer(text, start, end):
        piece = text[cut:m.start() + 1]
        nxt = text[m.end():m.end() + 1]
        if nxt and nxt.islower():
            continue  # "e.g. the", "approx. three": not a sentence break
        if LIST_MARKER_RE.match(piece) or piece.lower().rstrip().endswith(ABBREV):
            continue
        yield cut, m.end()
        cut = m.end()
    yield cut, end


def _cap(text: str, start: int, end: int, max_chars: int):
    """Cut an over-long piece at whitespace so no span exceeds max_chars."""
    while end - start > max_chars:
        cut = text.rfind(" ", start + max_chars // 2, start + max_chars)
        if cut <= start:
            cut = start + max_chars
        yield start, cut
        start = cut
    yield start, end


def _regions(text: str):
    """Text between tags, as (start, end)."""
    pos = 0
    for m in TAG_RE.finditer(text):
        yield pos, m.start()
        pos = m.end()
    yield pos, len(text)


def _line_blocks(text: str, start: int, end: int):
    """Lines of a region; a fenced code block is one block."""
    pos, fence_start = start, None
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        if FENCE_RE.match(text, pos, line_end):
            if fence_start is None:
                fence_start = pos
            else:
                yield fence_start, line_end, True
                fence_start = None
        elif fence_start is None:
            yield pos, line_end, False
        pos = line_end + 1
    if fence_start is not None:
        yield fence_start, end, True


def _join_wraps(text: str, blocks, version: str):
    """Merge hard-wrapped lines: "...the best strategy\nis to comply." is one sentence."""
    cur = None
    for b in blocks:
        if cur is not None and not cur[2] and not b[2] and b[0] == cur[1] + 1 \
                and cur[1] - cur[0] >= WRAP_MIN_CHARS and PROSE_START_RE.match(text, cur[0]) \
                and WRAPPED_END_RE.search(text, cur[0], cur[1]) \
                and (CONTINUES_RE.match(text[b[0]:b[1]])
                     or int(version) >= 3 and ENDS_WRAP_RE.match(text[b[0]:b[1]])):
            cur = (cur[0], b[1], False)
            continue
        if cur is not None:
            yield cur
        cur = b
    if cur is not None:
        yield cur


def segment(text: str, max_chars: int = 400, version: str = SEGMENTER_VERSION) -> list[Segment]:
    """Spans of ``text`` in order. Deterministic; O(len(text))."""
    if version not in VERSIONS:
        raise ValueError(f"unknown segmenter version {version!r}; this cotscan knows {VERSIONS}")
    out: list[Segment] = []
    for r_start, r_end in _regions(text):
        blocks = _line_blocks(text, r_start, r_end)
        if version != "1":
            blocks = _join_wraps(text, blocks, version)
        for b_start, b_end, is_code in blocks:
            pieces = [(b_start, b_end)] if is_code else _sentences(text, b_start, b_end)
            for p_start, p_end in pieces:
                for c_start, c_end in _cap(text, p_start, p_end, max_chars):
                    s, e = _strip(text, c_start, c_end)
                    if e > s and not NO_WORD_RE.match(text[s:e]):
                        out.append(Segment(s, e))
    return out
