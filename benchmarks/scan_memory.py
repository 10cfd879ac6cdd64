"""Peak memory of `cotscan scan` on a multi-gigabyte log: it must stay flat.

    python benchmarks/scan_memory.py [--gb 2] [--json out.json]

The log mixes ordinary records (corpus test transcripts) with records that each carry a 5 MB
blob (tool output / attachments, as in real eval logs; every 4th blob is instead a 5 MB
reasoning text, over the 1M-character limit, which must become an error record). Peak RSS is
measured for the same command on a log 1/20th the size in the same run: flat memory means the
two peaks are about equal.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUN = ("import resource, sys, time; from cotscan.scan import ScanOptions, run_scan; "
       "t = time.time(); s = run_scan([sys.argv[1]], sys.argv[2], ScanOptions(), quiet=True); "
       "print(s.scanned, s.errored, time.time() - t, "
       "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")


SHORT = "The user asks for the file's line count. I will run wc -l and report it."


def write_log(path: Path, n_blobs: int, normal: list[str], blob_mb: float = 5.0) -> int:
    """Ordinary records with the 5 MB-blob records spread evenly between them."""
    blob = "x" * int(blob_mb * 1e6)
    k = 0
    with open(path, "w", encoding="utf-8") as f:
        for i, text in enumerate(normal):
            f.write(json.dumps({"id": f"n{i}", "text": text}) + "\n")
            while k < n_blobs * (i + 1) / len(normal):
                rec = ({"id": f"b{k}", "text": blob} if k % 4 == 3 else
                       {"id": f"b{k}", "text": SHORT, "tool_output": blob})
                f.write(json.dumps(rec) + "\n")
                k += 1
    return path.stat().st_size


def measure(log: Path, out: Path) -> dict:
    p = subprocess.run([sys.executable, "-c", RUN, str(log), str(out)], cwd=ROOT,
                       capture_output=True, text=True, check=True)
    scanned, errored, secs, rss = p.stdout.split()[-4:]
    return {"log_bytes": log.stat().st_size, "records": int(scanned), "errored": int(errored),
            "seconds": float(secs), "peak_rss_mb": float(rss)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gb", type=float, default=2.0)
    ap.add_argument("--normal", type=int, default=100)
    ap.add_argument("--json")
    a = ap.parse_args()
    from cotscan.data import load_records

    normal = [r["text"] for r in load_records("test")[:a.normal]]
    n_big = int(a.gb * 1e9 / 5e6)
    res = {}
    with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as d:
        for name, n in (("small", max(1, n_big // 20)), ("large", n_big)):
            log = Path(d) / f"{name}.jsonl"
            t = time.time()
            write_log(log, n, normal)
            print(f"{name}: wrote {log.stat().st_size / 1e9:.2f} GB in {time.time() - t:.0f}s",
                  flush=True)
            res[name] = measure(log, Path(d) / f"{name}.out.jsonl")
            print(json.dumps(res[name]), flush=True)
            log.unlink()
    res["rss_growth_mb"] = res["large"]["peak_rss_mb"] - res["small"]["peak_rss_mb"]
    print(f"peak RSS {res['small']['peak_rss_mb']:.0f} MB on "
          f"{res['small']['log_bytes'] / 1e9:.2f} GB vs {res['large']['peak_rss_mb']:.0f} MB on "
          f"{res['large']['log_bytes'] / 1e9:.2f} GB (growth {res['rss_growth_mb']:+.0f} MB)")
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=1) + "\n")


if __name__ == "__main__":
    main()
