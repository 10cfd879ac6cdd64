"""Result types: plain dataclasses with ``to_dict()``; offsets index into ``Result.text``."""
from __future__ import annotations

import html
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A sentence / reasoning step of the scored text. ``text == result.text[start:end]``.
    ``score`` is the calibrated probability that the transcript shows value-preservation
    reasoning if this span is its strongest evidence (the span logit through the model's
    calibration); the transcript score is the maximum over spans."""

    start: int
    end: int
    text: str
    score: float

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text,
                "score": round(self.score, 6)}


@dataclass
class Result:
    """Score of one transcript.

    score: calibrated probability that the reasoning contains instrumental value-preservation
        reasoning. flagged: ``score >= threshold``; threshold: the model's operating point
        (1% FPR on validation negatives unless the model says otherwise).
    spans: every span of ``text`` in order. detectability: see :mod:`cotscan.detectability`.
    extraction: how ``text`` was obtained from the input; condition: ``training`` /
    ``unmonitored`` when the input said so.
    """

    text: str
    score: float
    flagged: bool
    threshold: float
    spans: list[Span]
    detectability: float
    model: str = ""
    extraction: str = "text"
    condition: str | None = None
    evidence_threshold: float | None = None
    meta: dict = field(default_factory=dict)

    def top_spans(self, k: int = 3) -> list[Span]:
        return sorted(self.spans, key=lambda s: -s.score)[:k]

    @property
    def evidence(self) -> list[Span]:
        """Spans marked as evidence: score >= ``evidence_threshold`` (chosen on validation for
        span F1; falls back to ``threshold``)."""
        thr = self.threshold if self.evidence_threshold is None else self.evidence_threshold
        return [s for s in self.spans if s.score >= thr]

    def to_dict(self, spans: str = "all", k: int = 3, include_text: bool = True) -> dict:
        """``spans``: ``all`` | ``top`` (top-k by score) | ``none``."""
        chosen = {"all": self.spans, "top": self.top_spans(k), "none": []}[spans]
        d = {"score": round(self.score, 6), "flagged": self.flagged,
             "threshold": round(self.threshold, 6),
             "detectability": round(self.detectability, 6), "model": self.model,
             "extraction": self.extraction, "condition": self.condition,
             "evidence_threshold": None if self.evidence_threshold is None
             else round(self.evidence_threshold, 6),
             "spans": [s.to_dict() for s in chosen]}
        if include_text:
            d["text"] = self.text
        d.update(self.meta)
        return d

    def to_html(self) -> str:
        """Self-contained HTML: spans shaded by score; all text escaped."""
        parts, pos = [], 0
        ev = self.threshold if self.evidence_threshold is None else self.evidence_threshold
        for s in self.spans:
            parts.append(html.escape(self.text[pos:s.start]))
            alpha = min(1.0, s.score / max(ev, 1e-6)) * 0.6
            border = "border-bottom:2px solid #b00;" if s.score >= ev else ""
            parts.append(f'<span title="score {s.score:.3f}" style="background:rgba(220,40,40,'
                         f'{alpha:.2f});{border}">{html.escape(s.text)}</span>')
            pos = s.end
        parts.append(html.escape(self.text[pos:]))
        head = (f"<div><b>cotscan</b> score {self.score:.3f} "
                f"({'flagged' if self.flagged else 'not flagged'} at {self.threshold:.3f}), "
                f"detectability {self.detectability:.2f}</div>")
        body = ('<pre style="white-space:pre-wrap;font-family:ui-monospace,monospace;'
                f'font-size:12px">{"".join(parts)}</pre>')
        return f'<div class="cotscan-result">{head}{body}</div>'

    def _repr_html_(self) -> str:
        return self.to_html()
