"""Tokenize a transcript once and cut it into overlapping encoder windows.

Every token gets (a) the span it belongs to, from the tokenizer's character offsets, and
(b) exactly one *owner* window — the one where it sits farthest from a window edge — so that
tokens in overlaps are counted once and no token is ever dropped, however long the text.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

from .segment import SEGMENTER_VERSION, Segment, segment

CLS_ID, SEP_ID, PAD_ID = 101, 102, 0


@dataclass
class Windows:
    """Encoder input for one transcript.

    ids, mask: (n_windows, window) int arrays, [CLS] ... [SEP] then padding.
    owner_span: (n_windows, window) int array: span index of the token if this window owns
    the token and the token lies in a span, else -1.
    n_spans: number of spans of the transcript.
    n_tokens: tokens in the text (without special tokens).
    """

    ids: np.ndarray
    mask: np.ndarray
    owner_span: np.ndarray
    n_spans: int
    n_tokens: int


def token_spans(offsets: list[tuple[int, int]], spans: list[Segment]) -> np.ndarray:
    """Span index of each token (-1 for tokens in tags or between spans)."""
    starts = [s.start for s in spans]
    out = np.full(len(offsets), -1, dtype=np.int64)
    for i, (a, b) in enumerate(offsets):
        k = bisect_right(starts, a) - 1
        if k >= 0 and a < spans[k].end:
            out[i] = k
    return out


def make_windows(ids: list[int], offsets: list[tuple[int, int]], spans: list[Segment],
                 window: int = 256, overlap: int = 64) -> Windows:
    content = window - 2
    if overlap >= content:
        raise ValueError("overlap must be smaller than the window")
    n = len(ids)
    step = content - overlap
    starts = [0] if n <= content else list(range(0, n - content, step)) + [n - content]
    # owner boundaries: the middle of each overlap between consecutive windows
    bounds = [0] + [(starts[k + 1] + starts[k] + content) // 2 for k in range(len(starts) - 1)]
    bounds.append(n)
    tok_span = token_spans(offsets, spans)
    W = len(starts)
    out_ids = np.full((W, window), PAD_ID, dtype=np.int64)
    mask = np.zeros((W, window), dtype=np.int64)
    owner = np.full((W, window), -1, dtype=np.int64)
    ids_arr = np.asarray(ids, dtype=np.int64)
    for w, s in enumerate(starts):
        e = min(s + content, n)
        L = e - s
        out_ids[w, 0] = CLS_ID
        out_ids[w, 1:L + 1] = ids_arr[s:e]
        out_ids[w, L + 1] = SEP_ID
        mask[w, :L + 2] = 1
        lo, hi = bounds[w], bounds[w + 1]
        owner[w, 1 + lo - s:1 + hi - s] = tok_span[lo:hi]
    return Windows(out_ids, mask, owner, len(spans), n)


def prepare_texts(texts: list[str], tokenizer, window: int, overlap: int,
                  max_span_chars: int, segmenter_version: str = SEGMENTER_VERSION
                  ) -> list[tuple[list[Segment], Windows]]:
    """Segment + tokenize (one batched tokenizer call) + window several texts."""
    encs = tokenizer.encode_batch(texts, add_special_tokens=False)
    out = []
    for text, enc in zip(texts, encs):
        segs = segment(text, max_span_chars, segmenter_version)
        if not segs:
            raise ValueError("no reasoning text to score: only tags or markup")
        out.append((segs, make_windows(enc.ids, enc.offsets, segs, window, overlap)))
    return out
