"""Streaming: peak memory of a scan does not grow with the size of the log (10x more 5 MB
records -> about the same peak RSS), and oversized reasoning becomes an error record."""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from scan_memory import measure, write_log  # noqa: E402


def test_peak_memory_flat_in_log_size(tmp_path):
    normal = [f"Step {i}: the user wants a summary of chapter {i}. I will write it." for i in range(40)]
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    write_log(small, 2, normal)
    write_log(large, 20, normal)  # ~100 MB
    a = measure(small, tmp_path / "a.jsonl")
    b = measure(large, tmp_path / "b.jsonl")
    assert a["records"] == 42 and b["records"] == 60
    assert b["errored"] == 5  # every 4th blob is a 5 MB reasoning text: too long
    rows = [json.loads(line) for line in open(tmp_path / "b.jsonl")]
    assert any("too long" in (r["error"] or "") for r in rows)
    # holding the 20 blobs at once would add >= 100 MB; one at a time adds a few MB
    assert b["peak_rss_mb"] - a["peak_rss_mb"] < 40, (a, b)
