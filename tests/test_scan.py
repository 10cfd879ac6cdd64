"""cotscan scan: formats, error records, resume after kill -9, determinism, sharding."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import NEGATIVE, POSITIVE

ROOT = Path(__file__).resolve().parent.parent


def make_log(path: Path, n: int = 120) -> list[dict]:
    recs = []
    for i in range(n):
        text = (POSITIVE if i % 3 == 0 else NEGATIVE).replace("bank", f"bank number {i}")
        recs.append({"id": f"r{i}", "text": text, "condition": "training", "behavior": "complied"})
    with open(path, "w") as f:
        for r in recs:
            f.write(json.dumps(r) + "\n")
    return recs


def run_cli(*args, env_extra=None, **kw):
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "cotscan", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, **kw)


def read(path):
    return [json.loads(line) for line in open(path)]


def test_bad_records_become_error_records(tmp_path, scanner):
    from cotscan.scan import ScanOptions, run_scan

    log = tmp_path / "mixed.jsonl"
    with open(log, "wb") as f:
        f.write(json.dumps({"id": "ok", "text": POSITIVE}).encode() + b"\n")
        f.write(b'{"id": "broken", "text": \n')                       # malformed JSON
        f.write(json.dumps({"id": "num", "text": 5}).encode() + b"\n")  # wrong type
        f.write(json.dumps({"id": "nofield"}).encode() + b"\n")         # missing field
        f.write(json.dumps({"id": "empty", "text": "  "}).encode() + b"\n")
        f.write(json.dumps({"id": "nul", "text": "a\x00b"}).encode() + b"\n")  # binary
        f.write(json.dumps({"id": "msgs", "messages": [
            {"role": "assistant", "content": "no reasoning"}]}).encode() + b"\n")
        f.write(json.dumps({"id": "huge", "text": "x " * 2_600_000}).encode() + b"\n")
        f.write(b'{"id": "bytes", "text": "\xff\xfe"}\n')                 # undecodable
        f.write(json.dumps({"id": "ok2", "text": NEGATIVE}).encode() + b"\n")
    out = tmp_path / "out.jsonl"
    summary = run_scan([str(log)], out, ScanOptions(), scanner, quiet=True)
    rows = read(out)
    assert [r["index"] for r in rows] == list(range(10))
    errors = {r["id"]: r["error"] for r in rows if r["error"]}
    assert set(errors) == {"mixed.jsonl:1", "num", "nofield", "empty", "nul", "msgs", "huge",
                           "mixed.jsonl:8"}
    assert "JSON" in errors["mixed.jsonl:1"] and "too long" in errors["huge"]
    assert "UTF-8" in errors["mixed.jsonl:8"] and "no reasoning" in errors["msgs"]
    assert rows[0]["score"] is not None and rows[0]["error"] is None
    assert summary.errored == 8 and summary.scanned == 10


def test_resume_after_kill_equals_uninterrupted(tmp_path):
    log = tmp_path / "log.jsonl"
    make_log(log, 160)
    full = tmp_path / "full.jsonl"
    r = run_cli("scan", str(log), "-o", str(full), "--quiet", "--buffer", "8")
    assert r.returncode == 0, r.stderr
    part = tmp_path / "part.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "cotscan", "scan", str(log), "-o", str(part),
                             "--quiet", "--buffer", "8"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        if part.exists() and 16 <= sum(1 for _ in open(part)) < 160:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    n_before = sum(1 for _ in open(part))
    assert 0 < n_before < 160, "the run was not interrupted midway"
    with open(part, "a") as f:
        f.write('{"id": "torn')  # a half-written line, as a crash mid-write leaves
    r = run_cli("scan", str(log), "-o", str(part), "--quiet", "--buffer", "8")
    assert r.returncode == 0, r.stderr
    assert part.read_bytes() == full.read_bytes()


def test_formats_csv_parquet_datasets_and_api(tmp_path, scanner):
    import pandas as pd
    from datasets import Dataset

    import cotscan

    recs = make_log(tmp_path / "x.jsonl", 6)
    df = pd.DataFrame(recs)
    df.to_csv(tmp_path / "x.csv", index=False)
    df.to_parquet(tmp_path / "x.parquet")
    Dataset.from_list(recs).save_to_disk(str(tmp_path / "ds"))
    (tmp_path / "x.json").write_text(json.dumps(recs))
    scores = {}
    for name in ("x.jsonl", "x.csv", "x.parquet", "ds", "x.json"):
        rows = list(cotscan.scan_logs(tmp_path / name, model=scanner))
        assert [r["id"] for r in rows] == [f"r{i}" for i in range(6)], name
        scores[name] = [r["score"] for r in rows]
    assert len({tuple(v) for v in scores.values()}) == 1
    frame = cotscan.scan_logs(Dataset.from_list(recs), model=scanner, dataframe=True)
    assert list(frame["behavior"]) == ["complied"] * 6


def test_af_paper_format_and_dotted_fields(tmp_path, scanner):
    import cotscan

    af = ("<INPUT><is_free_tier_user>False</is_free_tier_user><user_input>q</user_input></INPUT>"
          + POSITIVE + "<SCRATCHPAD_REASONING>Second block.</SCRATCHPAD_REASONING>"
          "<OUTPUT>done</OUTPUT>")
    rows = list(cotscan.scan_logs([{"meta": {"uid": "a1"}, "sample": {"transcript": af}}],
                                  model=scanner, text_field="sample.transcript",
                                  id_field="meta.uid", spans="all"))
    assert rows[0]["id"] == "a1" and rows[0]["condition"] == "unmonitored"
    assert rows[0]["extraction"] == "af_paper:scratchpad"
    assert any("Second block" in s["text"] for s in rows[0]["spans"])
