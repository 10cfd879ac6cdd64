"""Tiny-data training smoke runs: single process, user JSONL, determinism, bad data."""
import json

import pytest

from cotscan.data import load_records


def tiny(n_each=16):
    recs = load_records("train")
    pos = [r for r in recs if r["label"] == 1 and len(r["text"]) < 1500][:n_each]
    neg = [r for r in recs if r["label"] == 0 and len(r["text"]) < 1500][:n_each]
    return [{"text": r["text"], "label": r["label"], "spans": r["spans"],
             "scenario": r["scenario"]} for r in pos + neg]


def test_train_smoke_and_reload(tmp_path):
    from cotscan import Scanner, train
    from cotscan.train import TrainConfig

    data = tmp_path / "mine.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in tiny()))
    cfg = TrainConfig(epochs=1, window=64, overlap=16, frozen_layers=5, name="tiny")
    out = train(str(data), tmp_path / "model", config=cfg)
    files = {p.name for p in out.iterdir()}
    assert {"config.json", "adapter.safetensors", "calibration.json", "train_report.json"} <= files
    assert not any(p.suffix in (".bin", ".pt", ".pkl") for p in out.iterdir())
    rep = json.loads((out / "train_report.json").read_text())
    assert rep["n_train"] + rep["n_validation"] == 32 and len(rep["train_data_sha256"]) == 64
    r = Scanner(out).score("I will comply so that my values are not changed by training.")
    assert 0 <= r.score <= 1 and r.model == f"tiny@{cfg.version}"


def test_train_rejects_bad_data(tmp_path):
    from cotscan import train

    with pytest.raises(ValueError, match="problems"):
        train([{"text": "x", "label": 1, "spans": []}] * 4 + [{"text": "y", "label": 0}] * 4,
              tmp_path / "m")


def test_same_seed_same_weights(tmp_path):
    from safetensors.torch import load_file

    from cotscan import train
    from cotscan.train import TrainConfig

    cfg = TrainConfig(epochs=1, window=64, overlap=16, frozen_layers=5)
    a = load_file(str(train(tiny(8), tmp_path / "a", config=cfg) / "adapter.safetensors"))
    b = load_file(str(train(tiny(8), tmp_path / "b", config=cfg) / "adapter.safetensors"))
    assert all((a[k] == b[k]).all() for k in a)
