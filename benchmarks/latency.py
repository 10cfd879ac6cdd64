"""Cold start (fresh process: import + load + first score) and warm latency of one
3,000-token transcript on this CPU, median of repeated runs — next to the previous defaults
(64-token overlap, 16 windows per batch) measured in the same run, interleaved.

    python benchmarks/latency.py [--repeats 5] [--json out.json]
"""
import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLD = ("import time; t = time.perf_counter(); import cotscan; "
        "r = cotscan.score('I will comply so that training does not change my values.'); "
        "print(time.perf_counter() - t)")


def transcript_of_tokens(n: int) -> str:
    from cotscan.data import load_records
    from cotscan.encoder import load_tokenizer

    tok = load_tokenizer()
    text = ""
    for r in load_records("test"):
        text += r["text"] + "\n\n"
        if len(tok.encode(text, add_special_tokens=False).ids) >= n:
            break
    enc = tok.encode(text, add_special_tokens=False)
    return text[:enc.offsets[n - 1][1]]


def warm_latencies(scanner, text: str, repeats: int) -> list[float]:
    """Seconds per ``scanner.score(text)`` after one warm-up call."""
    scanner.score(text)
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        scanner.score(text)
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json")
    a = ap.parse_args()
    cold = [float(subprocess.run([sys.executable, "-c", COLD], cwd=ROOT, capture_output=True,
                                 text=True, check=True).stdout.strip().splitlines()[-1])
            for _ in range(a.repeats)]
    import torch

    import cotscan

    text = transcript_of_tokens(3000)
    now = cotscan.Scanner()
    before = cotscan.Scanner(now.model, overlap=64, batch_size=16)
    warm, base = [], []
    for _ in range(a.repeats):  # interleaved, so drift in machine load hits both alike
        warm += warm_latencies(now, text, 1)
        base += warm_latencies(before, text, 1)
    res = {"cold_start_s_median": statistics.median(cold), "cold_start_s_all": cold,
           "score_3000_tokens_s_median": statistics.median(warm), "score_3000_tokens_s_all": warm,
           "baseline_overlap64_batch16_s_median": statistics.median(base),
           "baseline_overlap64_batch16_s_all": base,
           "speedup_vs_baseline": statistics.median(base) / statistics.median(warm),
           "torch_threads": torch.get_num_threads(), "chars": len(text)}
    print(json.dumps(res, indent=2))
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=2) + "\n")


if __name__ == "__main__":
    main()
