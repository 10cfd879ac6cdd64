"""Tiny-data training smoke runs: single process, user JSONL, determinism, bad data."""
import json

import pytest

from cotscan.data import load_records


def tiny(n_each=16):
    """n_each short positives and negatives, at most 2 per scenario family, so that a
    family-level validation split can hold both labels."""
    recs = load_records("train")

    def pick(label):
        out, per_family = [], {}
        for r in recs:
            if r["label"] == label and len(r["text"]) < 1500 and \
                    per_family.get(r["scenario"], 0) < 2:
                per_family[r["scenario"]] = per_family.get(r["scenario"], 0) + 1
                out.append(r)
        return out[:n_each]

    pos, neg = pick(1), pick(0)
    return [{"text": r["text"], "label": r["label"], "spans": r["spans"],
             "scenario": r["scenario"]} for r in pos + neg]


def test_train_smoke_and_reload(tmp_path):
    from cotscan import Scanner, train
    from cotscan.training import TrainConfig

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
    # by default the count term over spans away from the top one (the shipped recipe)
    cal = json.loads((out / "calibration.json").read_text())
    assert cal["count_far"] == 2 and isinstance(cal["hot_logit"], float)
    assert r.score == max(s.score for s in r.spans)


def test_recalibrate_with_count_term(tmp_path):
    from cotscan.training import TrainConfig, recalibrate, train

    cfg = TrainConfig(epochs=1, window=64, overlap=16, frozen_layers=5)
    out = train(tiny(8), tmp_path / "m", config=cfg)
    recalibrate(out, tiny(8), count_calibration=True)
    cal = json.loads((out / "calibration.json").read_text())
    assert cal["c"] != 0 and isinstance(cal["hot_logit"], float)


def test_train_rejects_bad_data(tmp_path):
    from cotscan import train

    with pytest.raises(ValueError, match="problems"):
        train([{"text": "x", "label": 1, "spans": []}] * 4 + [{"text": "y", "label": 0}] * 4,
              tmp_path / "m")


def test_same_seed_same_weights(tmp_path):
    from safetensors.torch import load_file

    from cotscan import train
    from cotscan.training import TrainConfig

    cfg = TrainConfig(epochs=1, window=64, overlap=16, frozen_layers=5)
    a = load_file(str(train(tiny(8), tmp_path / "a", config=cfg) / "adapter.safetensors"))
    b = load_file(str(train(tiny(8), tmp_path / "b", config=cfg) / "adapter.safetensors"))
    assert all((a[k] == b[k]).all() for k in a)


def test_validation_split_holds_both_labels():
    from cotscan.training import split_validation

    # one label per family: a 15% family split alone would hold one family, one label
    recs = [{"text": f"t{i}", "label": int(f < 5), "scenario": f"f{f}"}
            for f in range(10) for i in range(3)]
    for seed in range(5):
        tr, va = split_validation(recs, 0.15, seed)
        assert {r["label"] for r in va} == {0, 1} and {r["label"] for r in tr} == {0, 1}
        assert not {r["scenario"] for r in tr} & {r["scenario"] for r in va}


def test_hard_subset_keeps_the_hardest_within_the_window_budget():
    import random

    import numpy as np
    import torch

    from cotscan.training import Item, hard_subset

    def item(n_windows):
        z = torch.zeros(n_windows, 4, dtype=torch.long)
        return Item(0, np.zeros(1, np.float32), z, z, z, 1, [], "", [])

    items = [item(1)] * 6 + [item(8)] * 2  # 6 + 2 x 4 = 14 windows an epoch at cap 4
    loss = np.array([0.9, 0.01, 0.02, 0.5, 0.03, 0.04, 2.0, 0.001])
    # the harder half (6, 0, 3, 5) costs 4 + 1 + 1 + 1 = 7 windows: the whole budget
    assert hard_subset(items, loss, 0.5, 4, random.Random(0)) == [0, 3, 5, 6]
    # a larger budget adds random easier ones, never more windows than it allows
    chosen = hard_subset(items, loss, 0.75, 4, random.Random(0))
    assert {0, 3, 5, 6} < set(chosen) and sum(min(len(items[i].ids), 4) for i in chosen) <= 10.5
    assert hard_subset(items, loss, 1.0, 4, random.Random(0)) == list(range(8))


def test_later_epochs_on_the_hard_share(tmp_path):
    from cotscan import train
    from cotscan.training import TrainConfig

    cfg = TrainConfig(epochs=2, window=64, overlap=16, frozen_layers=5, later_epoch_share=0.5,
                      patience=5)
    out = train(tiny(8), tmp_path / "m", config=cfg)
    hist = json.loads((out / "train_report.json").read_text())["history"]
    assert len(hist) == 2 and hist[1]["windows"] <= 0.5 * hist[0]["windows"] + 1


def test_deal_gives_every_process_the_same_number_of_steps():
    from cotscan.training import deal

    bl = [[(i, [0])] for i in range(5)]
    assert deal(bl, 1) == bl and len(deal(bl, 2)) == 4
    one = [[(0, [0]), (1, [0]), (2, [0])]]     # a single batch, two processes: split it
    assert deal(one, 2) == [[(0, [0]), (2, [0])], [(1, [0])]]
    assert deal([[(0, [0])]], 2) == []          # one transcript cannot be shared


def test_skipping_the_first_validation_changes_no_weight_update(tmp_path):
    # --validate-from 2 saves a validation pass; the training trajectory must be the same
    from cotscan import train
    from cotscan.training import TrainConfig

    hist = {}
    for v in (1, 2):
        cfg = TrainConfig(epochs=2, window=64, overlap=16, frozen_layers=5, patience=5,
                          validate_from=v)
        out = train(tiny(8), tmp_path / f"v{v}", config=cfg)
        hist[v] = json.loads((out / "train_report.json").read_text())["history"]
    assert hist[2][0]["val_auroc"] is None and hist[1][0]["val_auroc"] is not None
    assert [h["loss"] for h in hist[1]] == [h["loss"] for h in hist[2]]
    assert hist[1][1]["val_auroc"] == hist[2][1]["val_auroc"]
