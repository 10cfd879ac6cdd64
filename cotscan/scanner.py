"""Scanner: load a model once, score one transcript or many.

Many transcripts are scored together: all their windows are sorted by length and run in
batches (little padding), span states are accumulated across batches (a span may straddle two
windows), and results come back in input order.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

import numpy as np
import torch

from .detectability import detectability
from .model import SpanModel, load_model
from .result import Result, Span
from .segment import Segment
from .transcript import MAX_CHARS, Transcript, extract
from .windows import Windows, prepare_texts


@dataclass
class Prepared:
    transcript: Transcript
    segments: list[Segment]
    windows: Windows


class Scanner:
    """Scores transcripts with one loaded model.

    model: a model folder, the name of a shipped model, a loaded :class:`SpanModel`, or None
    for the default shipped model. device: ``"cpu"``, ``"cuda"``, ... (default: CUDA when
    available). batch_size: encoder windows per forward pass (default on CPU: 16 for many
    transcripts, 8 when scoring one — each measured fastest for its case on a 2-core CPU,
    benchmarks/scan_throughput.py and benchmarks/latency.py; 128 on GPU).
    overlap: tokens shared by neighbouring windows at inference (default: the model's
    training overlap); smaller is faster on long transcripts, each token keeps at least
    overlap/2 tokens of context on both sides.
    """

    def __init__(self, model: Any = None, device: str | None = None,
                 batch_size: int | None = None, max_chars: int = MAX_CHARS,
                 overlap: int | None = None):
        self.model = model if isinstance(model, SpanModel) else load_model(model)
        self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        self.model.to(self.device).eval()
        self.dtype = torch.bfloat16 if self.device.type == "cuda" else torch.float32
        cuda = self.device.type == "cuda"
        self.batch_size = batch_size or (128 if cuda else 16)
        self.single_batch_size = batch_size or (128 if cuda else 8)
        self.max_chars = max_chars
        self.overlap = self.model.config.overlap if overlap is None else int(overlap)
        if not 0 <= self.overlap < self.model.config.window - 2:
            raise ValueError(f"overlap must be in [0, {self.model.config.window - 2})")
        cfg = self.model.config
        self.name = f"{cfg.name}@{cfg.version}"

    # ---- stages ---------------------------------------------------------------------------
    def prepare(self, x: Any) -> Prepared:
        """Extract, segment and tokenize one input. Raises TypeError/ValueError on bad input."""
        t = extract(x, self.max_chars)
        return self._prepare_many([t])[0]

    def _prepare_many(self, transcripts: list[Transcript]) -> list[Prepared]:
        cfg = self.model.config
        prepped = prepare_texts([t.text for t in transcripts], self.model.tokenizer,
                                cfg.window, self.overlap, cfg.max_span_chars,
                                cfg.segmenter_version)
        return [Prepared(t, segs, win) for t, (segs, win) in zip(transcripts, prepped)]

    @torch.inference_mode()
    def span_logits(self, items: list[Prepared], batch_size: int | None = None
                    ) -> list[np.ndarray]:
        """Per-span logits for each prepared item (one encoder pass over all windows)."""
        batch_size = batch_size or self.batch_size
        span_base = np.cumsum([0] + [p.windows.n_spans for p in items])
        ids = np.concatenate([p.windows.ids for p in items])
        mask = np.concatenate([p.windows.mask for p in items])
        owner = np.concatenate([np.where(p.windows.owner_span >= 0,
                                         p.windows.owner_span + span_base[i], -1)
                                for i, p in enumerate(items)])
        n_total = int(span_base[-1])
        hidden = self.model.encoder.cfg.hidden
        sums = torch.zeros(n_total, hidden, dtype=torch.float32, device=self.device)
        counts = torch.zeros(n_total, dtype=torch.float32, device=self.device)
        lengths = mask.sum(1)
        order = np.argsort(-lengths, kind="stable")
        for b in range(0, len(order), batch_size):
            sel = order[b:b + batch_size]
            L = int(lengths[sel].max())
            t_ids = torch.from_numpy(ids[sel, :L]).to(self.device)
            t_mask = torch.from_numpy(mask[sel, :L]).to(self.device)
            t_own = torch.from_numpy(owner[sel, :L]).to(self.device).reshape(-1)
            with torch.autocast(self.device.type, dtype=self.dtype,
                                enabled=self.dtype != torch.float32):
                h = self.model.encoder(t_ids, t_mask)
            h = h.float().reshape(-1, hidden)
            keep = t_own >= 0
            sums.index_add_(0, t_own[keep], h[keep])
            counts.index_add_(0, t_own[keep], torch.ones_like(t_own[keep], dtype=torch.float32))
        logits = self.model.head(sums / counts.clamp(min=1)[:, None]).float().cpu().numpy()
        return [logits[span_base[i]:span_base[i + 1]] for i in range(len(items))]

    def _result(self, p: Prepared, logits: np.ndarray) -> Result:
        cal = self.model.calibration
        probs = cal.span_probs(logits)
        text = p.transcript.text
        spans = [Span(s.start, s.end, text[s.start:s.end], float(q))
                 for s, q in zip(p.segments, probs)]
        score = float(probs.max())
        return Result(text=text, score=score, flagged=score >= cal.threshold,
                      threshold=cal.threshold, spans=spans,
                      detectability=detectability(probs, cal.threshold), model=self.name,
                      extraction=p.transcript.extraction, condition=p.transcript.condition,
                      evidence_threshold=cal.evidence_threshold)

    # ---- public ---------------------------------------------------------------------------
    def score(self, x: Any) -> Result:
        """Score one transcript: a str, a list of chat messages, or a dict record."""
        p = self.prepare(x)
        return self._result(p, self.span_logits([p], self.single_batch_size)[0])

    def score_many(self, xs: Iterable[Any], chunk: int = 64) -> Iterator[Result]:
        """Score many inputs; yields results in input order. Bad input raises (use
        :func:`cotscan.scan_logs` for error records instead)."""
        buf: list[Prepared] = []
        for x in xs:
            buf.append(self.prepare(x))
            if len(buf) >= chunk:
                yield from self._flush(buf)
                buf = []
        if buf:
            yield from self._flush(buf)

    def _flush(self, items: list[Prepared]) -> Iterator[Result]:
        for p, lg in zip(items, self.span_logits(items)):
            yield self._result(p, lg)


_default: Scanner | None = None
_default_lock = threading.Lock()


def default_scanner() -> Scanner:
    """The process-wide scanner of the shipped model, loaded on first use (thread-safe)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Scanner()
    return _default


def score(x: Any) -> Result:
    """Score one transcript with the shipped model. See :class:`Scanner`."""
    return default_scanner().score(x)
