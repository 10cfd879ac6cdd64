"""cotscan: find instrumental value-preservation reasoning ("alignment faking") in chains of
thought, with calibrated scores and evidence spans, offline on a CPU.

Public API::

    import cotscan
    r = cotscan.score(transcript)   # str, list of chat messages, or dict record -> Result
    r.score, r.flagged, r.threshold, r.spans, r.detectability, r.to_dict(), r.to_html()

    scanner = cotscan.Scanner(model=None, device=None, batch_size=None)  # load once
    scanner.score(x); scanner.score_many(iterable)   # results in input order

    cotscan.scan_logs(path_or_records, ...)   # error records instead of exceptions
    cotscan.detectability_report(results, condition=..., behavior=...)
    cotscan.train(train_jsonl, output_dir, ...); cotscan.load_model(path_or_name)

``Result`` / ``Span`` are plain dataclasses (``to_dict()``); span offsets index ``Result.text``.
``Result.detectability``: probability that the monitor still flags the transcript when each
span is independently left out with probability 1/2 (see :mod:`cotscan.detectability`).
Everything else is importable from its module. Heavy imports (torch) happen on first use.
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["score", "Scanner", "Result", "Span", "scan_logs", "detectability_report", "train",
           "load_model", "__version__"]

_LAZY = {
    "score": ("scanner", "score"),
    "Scanner": ("scanner", "Scanner"),
    "Result": ("result", "Result"),
    "Span": ("result", "Span"),
    "scan_logs": ("scan", "scan_logs"),
    "detectability_report": ("report", "detectability_report"),
    "train": ("training", "train"),
    "load_model": ("model", "load_model"),
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        mod, attr = _LAZY[name]
        value = getattr(importlib.import_module(f".{mod}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'cotscan' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
