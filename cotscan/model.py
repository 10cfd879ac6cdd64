"""Encoder + span head: windows -> per-span logits. Saving and loading the shipped folder.

Model folder layout (sentence-transformers style, safetensors only):
    config.json          base model id + sha256, window/overlap, trained layers, head shape
    adapter.safetensors  only the trained weights (upper encoder layers + head), fp16
    calibration.json     Platt parameters, operating threshold and the FPR it targets
    MODEL_CARD.md        what it is, data, figures, the command that made it
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .calibrate import Calibration
from .encoder import BASE_MODEL_ID, BASE_WEIGHTS_SHA256, MiniLMEncoder, load_tokenizer
from .segment import SEGMENTER_VERSION

DEFAULT_MODEL_NAME = "cotscan-minilm-v1"


@dataclass
class ModelConfig:
    name: str = DEFAULT_MODEL_NAME
    version: str = "1.0.0"
    base_model: str = BASE_MODEL_ID
    base_sha256: str = BASE_WEIGHTS_SHA256
    window: int = 256
    overlap: int = 64
    frozen_layers: int = 4           # layers 0..frozen_layers-1 keep the base weights
    head_hidden: int = 128
    max_span_chars: int = 400
    segmenter_version: str = SEGMENTER_VERSION
    aggregation: str = "max"         # transcript logit = max span logit
    extra: dict = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> "ModelConfig":
        raw = json.loads(Path(path).read_text())
        known = {k: raw[k] for k in cls.__dataclass_fields__ if k in raw}
        return cls(**known)


class SpanHead(nn.Module):
    def __init__(self, hidden: int, inner: int):
        super().__init__()
        self.net = nn.Sequential(nn.Dropout(0.1), nn.Linear(hidden, inner), nn.GELU(),
                                 nn.Linear(inner, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).squeeze(-1)


def pool_spans(hidden: torch.Tensor, owner: torch.Tensor, n_spans: int) -> torch.Tensor:
    """Mean of owned token states per span. hidden (B, L, H); owner (B, L) global span ids."""
    flat = hidden.reshape(-1, hidden.shape[-1])
    own = owner.reshape(-1)
    keep = own >= 0
    idx = own[keep]
    sums = torch.zeros(n_spans, flat.shape[1], dtype=flat.dtype, device=flat.device)
    sums.index_add_(0, idx, flat[keep])
    counts = torch.zeros(n_spans, dtype=flat.dtype, device=flat.device)
    counts.index_add_(0, idx, torch.ones_like(idx, dtype=flat.dtype))
    return sums / counts.clamp(min=1)[:, None]


class SpanModel(nn.Module):
    """MiniLM encoder with a span head. ``calibration`` maps logits to probabilities."""

    def __init__(self, config: ModelConfig, encoder: MiniLMEncoder | None = None,
                 calibration: Calibration | None = None):
        super().__init__()
        self.config = config
        self.encoder = encoder or MiniLMEncoder.from_base()
        self.head = SpanHead(self.encoder.cfg.hidden, config.head_hidden)
        self.calibration = calibration or Calibration()
        self.tokenizer = load_tokenizer()

    def span_logits(self, ids: torch.Tensor, mask: torch.Tensor, owner: torch.Tensor,
                    n_spans: int, hidden: torch.Tensor | None = None) -> torch.Tensor:
        """Logits of all spans owned in this batch of windows. With ``hidden`` given (the
        cached output of the frozen layers), only the trained layers run."""
        if hidden is None:
            h = self.encoder(ids, mask)
        else:
            h = self.encoder(mask=mask, hidden=hidden, start=self.config.frozen_layers)
        return self.head(pool_spans(h, owner, n_spans))

    def forward(self, *args, **kwargs) -> torch.Tensor:  # DDP calls forward
        return self.span_logits(*args, **kwargs)

    # ---- trained-weights I/O ------------------------------------------------------------
    def trained_state(self) -> dict[str, torch.Tensor]:
        k = self.config.frozen_layers
        state = {f"head.{n}": p for n, p in self.head.state_dict().items()}
        for i in range(k, len(self.encoder.layers)):
            for n, p in self.encoder.layers[i].state_dict().items():
                state[f"encoder.layers.{i}.{n}"] = p
        return {n: p.detach().to("cpu", torch.float16).contiguous() for n, p in state.items()}

    def save(self, folder: str | Path) -> Path:
        from safetensors.torch import save_file

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        save_file(self.trained_state(), str(folder / "adapter.safetensors"),
                  metadata={"format": "pt", "base_sha256": self.config.base_sha256})
        (folder / "config.json").write_text(json.dumps(asdict(self.config), indent=2) + "\n")
        self.calibration.save(folder / "calibration.json")
        return folder

    @classmethod
    def load(cls, folder: str | Path) -> "SpanModel":
        from safetensors.torch import load_file

        folder = Path(folder)
        if not (folder / "adapter.safetensors").exists():
            raise FileNotFoundError(f"no adapter.safetensors in model folder {folder}")
        config = ModelConfig.load(folder / "config.json")
        if config.base_sha256 != BASE_WEIGHTS_SHA256:
            raise RuntimeError(f"model {folder} was trained on base weights {config.base_sha256}, "
                               f"installed base is {BASE_WEIGHTS_SHA256}")
        model = cls(config, calibration=Calibration.load(folder / "calibration.json"))
        state = {n: t.float() for n, t in load_file(str(folder / "adapter.safetensors")).items()}
        missing, unexpected = model.load_state_dict(state, strict=False)
        if unexpected:
            raise RuntimeError(f"unexpected weights in {folder}: {unexpected[:5]}")
        trained = set(state)
        need = set(model.trained_state())
        if need - trained:
            raise RuntimeError(f"model folder {folder} lacks weights {sorted(need - trained)[:5]}")
        return model.eval()


def default_model_dir() -> Path:
    """The shipped model: ``$COTSCAN_MODEL`` or ``models/cotscan-minilm-v1`` of this checkout."""
    import os

    env = os.environ.get("COTSCAN_MODEL")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "models" / DEFAULT_MODEL_NAME


def resolve_model_dir(name_or_path: str | Path | None) -> Path:
    if name_or_path is None:
        return default_model_dir()
    p = Path(name_or_path)
    if p.exists():
        return p
    shipped = Path(__file__).resolve().parent.parent / "models" / str(name_or_path)
    if shipped.exists():
        return shipped
    raise FileNotFoundError(f"no model folder at {name_or_path!r} (nor under models/)")


def load_model(name_or_path: str | Path | None = None) -> SpanModel:
    """Load a model folder (default: the shipped model)."""
    return SpanModel.load(resolve_model_dir(name_or_path))


