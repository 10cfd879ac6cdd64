"""Is a release's gain on the probe sets more than seed noise, and does it come from a given
corpus wave? Trains the default recipe with seeds 0-2 on the full train split and seeds 0-1
without one wave's train records (validation unchanged), then previews each (gpu_train.py).

    PYTHONPATH=. python3 benchmarks/gpu/seed_ablation.py e
"""
import sys, tempfile
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from gpu_train import patch_base, preview

patch_base()
from cotscan.data import load_records
from cotscan.training import TrainConfig, train

wave = sys.argv[1] if len(sys.argv) > 1 else "e"
full = load_records("train")
without = [r for r in full if not r["writer"].startswith(wave)]
val = load_records("validation")
for data, tag, seeds in ((full, "full", (0, 1, 2)), (without, f"without {wave}*", (0, 1))):
    for seed in seeds:
        out = Path(tempfile.mkdtemp())
        print(f"=== {tag} ({len(data)} train records), seed {seed}", flush=True)
        train(data, out, validation_data=val, config=TrainConfig(seed=seed))
        preview(out)
