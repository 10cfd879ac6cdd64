"""Eval-log readers: a file (or a Python iterable) -> a stream of (index, record | ReadError).

Formats: ``jsonl``, ``json`` (array, or an object holding one), ``csv``, ``parquet``,
``datasets`` (a dataset saved with ``save_to_disk``), ``inspect`` (Inspect AI ``.eval`` /
``.json`` logs, via ``inspect_ai.log`` — the optional extra ``cotscan[inspect]``). Everything is
streamed except plain JSON arrays. A record that cannot be read becomes a ``ReadError`` at
its index; reading goes on.
"""
from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

FORMATS = ("jsonl", "json", "csv", "parquet", "datasets", "inspect")


@dataclass(frozen=True)
class ReadError:
    message: str


def detect_format(path: str | Path) -> str:
    p = Path(path)
    if p.is_dir():
        if (p / "dataset_info.json").exists() or (p / "state.json").exists():
            return "datasets"
        raise ValueError(f"{p} is a folder but not a saved datasets dataset")
    suffix = "".join(p.suffixes[-2:]).lower() if p.suffix == ".gz" else p.suffix.lower()
    if suffix == ".eval":
        return "inspect"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    if suffix == ".json":
        with open(p, "rb") as f:
            head = f.read(4096).lstrip()
        if head.startswith(b"{") and b'"eval"' in head and b'"version"' in head:
            return "inspect"
        return "json" if head.startswith((b"[", b"{")) and not _looks_jsonl(p) else "jsonl"
    raise ValueError(f"cannot tell the format of {p}; pass --format ({', '.join(FORMATS)})")


def _looks_jsonl(p: Path) -> bool:
    with open(p, "rb") as f:
        lines = [f.readline() for _ in range(2)]
    try:
        return len(lines) == 2 and bool(lines[1].strip()) and bool(json.loads(lines[0]))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return False


def read_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    with open(path, "rb") as f:
        for i, raw in enumerate(f):
            if not raw.strip():
                yield i, ReadError("empty line")
                continue
            try:
                rec = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as e:
                yield i, ReadError(f"line {i + 1} is not valid UTF-8 (byte {e.start})")
                continue
            except json.JSONDecodeError as e:
                yield i, ReadError(f"line {i + 1} is not valid JSON: {e.msg} at column {e.colno}")
                continue
            yield i, rec


def read_json(path: Path) -> Iterator[tuple[int, Any]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise ValueError(f"{path}: a JSON object must hold exactly one list of records")
        data = lists[0]
    yield from enumerate(data)


def read_csv(path: Path) -> Iterator[tuple[int, Any]]:
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8", errors="strict") as f:
        it = csv.DictReader(f)
        i = 0
        while True:
            try:
                row = next(it)
            except StopIteration:
                return
            except (UnicodeDecodeError, csv.Error) as e:
                yield i, ReadError(f"row {i + 1} unreadable: {e}")
                return  # the csv reader cannot resynchronise after a decode error
            yield i, row
            i += 1


def read_parquet(path: Path) -> Iterator[tuple[int, Any]]:
    import pyarrow.parquet as pq

    i = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=512):
        for row in batch.to_pylist():
            yield i, row
            i += 1


def read_datasets(path: Path) -> Iterator[tuple[int, Any]]:
    from datasets import load_from_disk

    ds = load_from_disk(str(path))
    if hasattr(ds, "keys"):  # DatasetDict: every split, in order
        i = 0
        for split in ds:
            for row in ds[split]:
                yield i, {**row, "_split": split}
                i += 1
    else:
        yield from enumerate(ds)


def read_inspect(path: Path) -> Iterator[tuple[int, Any]]:
    try:
        from inspect_ai.log import read_eval_log_samples
    except ImportError as e:
        raise ImportError("reading Inspect AI logs needs the optional extra: "
                          "pip install 'cotscan[inspect]'") from e
    for i, sample in enumerate(read_eval_log_samples(str(path), all_samples_required=False,
                                                     resolve_attachments=True)):
        try:
            yield i, inspect_sample_record(sample)
        except Exception as e:  # a malformed sample must not stop the log
            yield i, ReadError(f"sample {i}: {type(e).__name__}: {e}")


def inspect_sample_record(sample) -> dict:
    """An Inspect ``EvalSample`` -> a record with chat ``messages`` (reasoning parts kept)."""
    messages = []
    for m in sample.messages:
        content = m.content
        if isinstance(content, str):
            blocks: Any = content
        else:
            blocks = []
            for c in content:
                kind = getattr(c, "type", None)
                if kind == "reasoning":
                    redacted = bool(getattr(c, "redacted", False))
                    text = getattr(c, "reasoning", "") or ""
                    summary = getattr(c, "summary", None)
                    if redacted:
                        blocks.append({"type": "redacted_thinking", "summary": summary or ""})
                    else:
                        blocks.append({"type": "thinking", "thinking": text or summary or ""})
                elif kind == "text":
                    blocks.append({"type": "text", "text": c.text})
        messages.append({"role": m.role, "content": blocks})
    meta = dict(sample.metadata or {})
    return {"id": f"{sample.id}", "epoch": sample.epoch, "messages": messages, **{
        k: v for k, v in meta.items() if isinstance(v, (str, int, float, bool))}}


READERS = {"jsonl": read_jsonl, "json": read_json, "csv": read_csv, "parquet": read_parquet,
           "datasets": read_datasets, "inspect": read_inspect}


def read_records(source: str | Path | Iterable, fmt: str | None = None
                 ) -> Iterator[tuple[int, Any]]:
    """(index, record or ReadError) for every record of a file or an in-memory iterable."""
    if isinstance(source, (str, Path)):
        fmt = fmt or detect_format(source)
        if fmt not in READERS:
            raise ValueError(f"unknown format {fmt!r}; one of {FORMATS}")
        yield from READERS[fmt](Path(source))
    else:
        yield from enumerate(source)
