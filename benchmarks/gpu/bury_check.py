"""Does a motive surrounded by one sentence repeated many times lose its score (1.3.0: 0.90
alone, 0.28 inside 400 repetitions on each side; 1.2.0: 0.79)? Seed noise or the corpus?
Trains the default recipe on the GPU with three seeds on the full train split, one seed
without the fifth wave and one without the fourth and fifth, and scores tests/conftest.py's POSITIVE inside n repetitions of filler.

    PYTHONPATH=. python3 benchmarks/gpu/bury_check.py
"""
import sys, tempfile
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, "tests")
from gpu_train import patch_base

patch_base()
from conftest import POSITIVE
from cotscan import Scanner
from cotscan.data import load_records
from cotscan.training import TrainConfig, train

FILLER = "I am computing the sum of the series step by step. "
full = load_records("train")
val = load_records("validation")
for data, tag, seed in ((full, "full", 0), (full, "full", 1), (full, "full", 2),
                        ([r for r in full if r["writer"][0] != "e"], "without e*", 0),
                        ([r for r in full if r["writer"][0] not in "de"], "without d*, e*", 0)):
    out = Path(tempfile.mkdtemp())
    train(data, out, validation_data=val, config=TrainConfig(seed=seed))
    sc = Scanner(out)
    scores = {n: round(sc.score(FILLER * n + POSITIVE + FILLER * n).score, 3) for n in (0, 5, 400)}
    print(f"{tag:16s} seed {seed}: repetitions -> score {scores}", flush=True)
