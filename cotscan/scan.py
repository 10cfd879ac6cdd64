"""``cotscan scan``: label every record of eval logs; streaming, resumable, nothing lost.

Each input record gives exactly one output record: a score, or an ``error`` naming the problem.
Output is appended and flushed per batch; rerunning the same command skips the
(source, index) pairs already written (a torn last line from a crash is cut first), so a
killed run resumes without duplicates or gaps. Under ``accelerate launch`` each rank scores
records ``index % world == rank`` into its own part file and rank 0 merges them in input order.
"""
from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from .readers import ReadError, read_records
from .transcript import MAX_CHARS, SCRATCHPAD_BLOCK_RE, Transcript, extract, from_af_paper, from_messages

SPAN_MODES = ("all", "top", "none")
AF_KEYS = ("text", "transcript", "completion")  # fields that may hold a whole AF-paper transcript


@dataclass
class ScanOptions:
    fmt: str | None = None
    text_field: str | None = None
    messages_field: str | None = None
    id_field: str = "id"
    spans: str = "top"
    top_k: int = 3
    keep: Sequence[str] = ()
    buffer: int = 256        # records prepared and scored together (bounded memory)
    buffer_chars: int = 4_000_000  # ... and at most this much reasoning text at once
    max_chars: int = MAX_CHARS


def dotted(rec: Any, path: str) -> Any:
    """``a.b.0.c`` lookup in nested dicts / lists; KeyError naming the path if absent."""
    cur = rec
    for part in path.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            raise KeyError(f"field {path!r} not found")
    return cur


def is_af_paper(text: str) -> bool:
    return bool(SCRATCHPAD_BLOCK_RE.search(text)) and ("<OUTPUT>" in text or "<INPUT>" in text)


def record_transcript(rec: Any, opts: ScanOptions) -> Transcript:
    if opts.messages_field:
        t = from_messages(dotted(rec, opts.messages_field))
    elif opts.text_field:
        value = dotted(rec, opts.text_field)
        t = from_af_paper(value) if isinstance(value, str) and is_af_paper(value) \
            else Transcript(value, opts.text_field)
    elif isinstance(rec, dict) and (key := next((k for k in AF_KEYS if isinstance(
            rec.get(k), str) and is_af_paper(rec[k])), None)):
        t = from_af_paper(rec[key])
    elif isinstance(rec, str) and is_af_paper(rec):
        t = from_af_paper(rec)
    else:
        t = extract(rec, opts.max_chars)
    t = extract(t, opts.max_chars)  # validates text (type, empty, size, surrogates)
    if isinstance(rec, dict) and isinstance(rec.get("condition"), str):
        t = Transcript(t.text, t.extraction, rec["condition"])
    return t


def _passthrough(rec: Any, opts: ScanOptions) -> dict:
    out = {}
    if not isinstance(rec, dict):
        return out
    for key in ("behavior", "epoch", *opts.keep):
        try:
            out[key] = dotted(rec, key)
        except KeyError:
            if key in opts.keep:
                out[key] = None
    return out


def _record_id(rec: Any, opts: ScanOptions, source: str, index: int) -> str:
    try:
        value = dotted(rec, opts.id_field)
        if isinstance(value, (str, int, float)):
            return str(value)
    except KeyError:
        pass
    return f"{Path(source).name}:{index}"


def _row(index: int, rec: Any, opts: ScanOptions, source: str, model: str):
    """Output row skeleton + the extracted transcript (None if the record is unusable). Done
    as each record arrives, so the buffer holds reasoning texts, never the raw records (an
    eval log's records can be megabytes of tool output each)."""
    row = {"id": None, "source": source, "index": index, "score": None, "flagged": None,
           "detectability": None, "condition": None, "extraction": None, "spans": [],
           "model": model, "error": None}
    if isinstance(rec, ReadError):
        row["id"] = f"{Path(source).name}:{index}"
        row["error"] = rec.message
        return row, None
    row["id"] = _record_id(rec, opts, source, index)
    row.update(_passthrough(rec, opts))
    if isinstance(rec, dict) and isinstance(rec.get("condition"), str):
        row["condition"] = rec["condition"]  # kept on error rows too, for analyses
    try:
        t = record_transcript(rec, opts)
        row["condition"], row["extraction"] = t.condition, t.extraction
        return row, t
    except (TypeError, ValueError, KeyError) as e:
        row["error"] = f"{type(e).__name__}: {e.args[0] if e.args else e}"
        return row, None


def scan_records(records: Iterable[tuple[int, Any]], scanner, opts: ScanOptions, source: str,
                 skip: set | None = None) -> Iterator[list[dict]]:
    """Batches of output records, in input order. The buffer is bounded both in records
    (``opts.buffer``) and in characters of reasoning text (``opts.buffer_chars``)."""
    buf: list[tuple[dict, Transcript | None]] = []
    chars = 0
    limit = min(16, opts.buffer)  # small first buffers: the first results come quickly
    for index, rec in records:
        if skip and index in skip:
            continue
        row, t = _row(index, rec, opts, source, scanner.name)
        del rec  # let a huge raw record go before the next one is read
        buf.append((row, t))
        chars += len(t.text) if t is not None else 0
        if len(buf) >= limit or chars >= opts.buffer_chars:
            yield _score_buffer(buf, scanner, opts)
            buf, chars, limit = [], 0, min(2 * limit, opts.buffer)
    if buf:
        yield _score_buffer(buf, scanner, opts)


def _score_buffer(buf: list[tuple[dict, Transcript | None]], scanner, opts: ScanOptions
                  ) -> list[dict]:
    outs = [row for row, _ in buf]
    todo = [(pos, t) for pos, (_, t) in enumerate(buf) if t is not None]
    try:  # one batched tokenizer call; per record only if some record fails
        prepared = list(zip([pos for pos, _ in todo],
                            scanner._prepare_many([t for _, t in todo])))
    except (TypeError, ValueError):
        prepared = []
        for pos, t in todo:
            try:
                prepared.append((pos, scanner._prepare_many([t])[0]))
            except (TypeError, ValueError) as e:
                outs[pos]["error"] = f"{type(e).__name__}: {e}"
    if prepared:
        logits = scanner.span_logits([p for _, p in prepared])
        for (pos, p), lg in zip(prepared, logits):
            res = scanner._result(p, lg)
            d = res.to_dict(spans=opts.spans, k=opts.top_k, include_text=False)
            outs[pos].update(score=d["score"], flagged=d["flagged"],
                             detectability=d["detectability"], spans=d["spans"],
                             threshold=d["threshold"])
    return outs


def _done_keys(path: Path) -> set[tuple[str, int]]:
    """(source, index) already in ``path``; a torn trailing line is truncated away."""
    done: set[tuple[str, int]] = set()
    if not path.exists():
        return done
    good = 0
    with open(path, "rb") as f:
        for line in f:
            if not line.endswith(b"\n"):
                break
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                break
            done.add((row["source"], row["index"]))
            good += len(line)
    if good != path.stat().st_size:
        with open(path, "r+b") as f:
            f.truncate(good)
    return done


def _rank_world() -> tuple[int, int]:
    return int(os.environ.get("RANK", 0)), int(os.environ.get("WORLD_SIZE", 1))


@dataclass
class ScanSummary:
    scanned: int = 0
    flagged: int = 0
    errored: int = 0
    skipped: int = 0
    seconds: float = 0.0
    tokens: int = 0
    first_result_s: float | None = None
    errors_by_kind: dict = field(default_factory=dict)

    def line(self) -> str:
        rate = self.scanned / self.seconds if self.seconds else 0.0
        return (f"scored {self.scanned - self.errored}, flagged {self.flagged}, errored "
                f"{self.errored}, skipped (already done) {self.skipped} in {self.seconds:.1f}s "
                f"({rate:.1f} records/s)")

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def run_scan(inputs: Sequence[str], output: str | Path, opts: ScanOptions, scanner=None,
             quiet: bool = False) -> ScanSummary:
    """Scan files into a JSONL output; resumable; sharded under ``accelerate launch``."""
    from tqdm import tqdm

    from .scanner import Scanner

    rank, world = _rank_world()
    scanner = scanner or Scanner()
    output = Path(output)
    part = output if world == 1 else output.with_name(f"{output.name}.part{rank}-of-{world}")
    done = _done_keys(part)
    if world > 1 and output.exists() and not done:
        done = {k for k in _done_keys(output)}  # a merged output from an earlier run
    summary = ScanSummary()
    t0 = time.time()
    show = not quiet and sys.stderr.isatty()
    with open(part, "a", encoding="utf-8") as out, tqdm(
            disable=not show, unit="rec", file=sys.stderr, desc=f"scan[{rank}]") as bar:
        for source in inputs:
            src = str(source)
            skip = {i for s, i in done if s == src}
            summary.skipped += len(skip)
            records = ((i, r) for i, r in read_records(source, opts.fmt) if i % world == rank)
            for batch in scan_records(records, scanner, opts, src, skip):
                for row in batch:
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                    summary.scanned += 1
                    summary.flagged += bool(row["flagged"])
                    if row["error"]:
                        summary.errored += 1
                        kind = row["error"].split(":")[0]
                        summary.errors_by_kind[kind] = summary.errors_by_kind.get(kind, 0) + 1
                out.flush()
                if summary.first_result_s is None:
                    summary.first_result_s = time.time() - t0
                bar.update(len(batch))
    summary.seconds = time.time() - t0
    if world > 1:
        _merge_parts(output, world, [str(s) for s in inputs])
    return summary


def _merge_parts(output: Path, world: int, sources: list[str]) -> None:
    """Rank 0 interleaves the part files into input order. Each part is already in input
    order, so a streaming k-way merge keeps memory flat however big the log is."""
    import heapq

    import torch
    from accelerate import PartialState

    state = PartialState(cpu=not torch.cuda.is_available())  # gloo across CPU processes
    state.wait_for_everyone()
    if state.is_main_process:
        order = {s: k for k, s in enumerate(sources)}
        parts = [output.with_name(f"{output.name}.part{r}-of-{world}") for r in range(world)]

        def keyed(path: Path):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    row = json.loads(line)
                    yield (order.get(row["source"], len(order)), row["index"]), line

        tmp = output.with_name(output.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            for _, line in heapq.merge(*(keyed(p) for p in parts), key=lambda kv: kv[0]):
                f.write(line)
        os.replace(tmp, output)
        for p in parts:
            p.unlink()
    state.wait_for_everyone()


def scan_logs(source: str | Path | Iterable, model: Any = None, dataframe: bool = False,
              **options) -> Iterator[dict] | Any:
    """Python API: output records of ``cotscan scan`` for a file or any iterable of records
    (or a ``datasets.Dataset``); ``dataframe=True`` returns a pandas DataFrame."""
    from .scanner import Scanner

    scanner = model if hasattr(model, "span_logits") else Scanner(model)
    opts = ScanOptions(**options)
    name = str(source) if isinstance(source, (str, Path)) else "<records>"

    def rows():
        for batch in scan_records(read_records(source, opts.fmt), scanner, opts, name):
            yield from batch

    if dataframe:
        import pandas as pd

        return pd.DataFrame(list(rows()))
    return rows()
