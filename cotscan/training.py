"""Fine-tune the span model: corpus (or a user's JSONL) -> model folder.

Recipe (fits the 60-minute, 2-core CPU budget): the lower ``frozen_layers`` encoder layers keep
the base weights, so their output for every training window is computed once and cached (fp16);
each step then runs only the upper layers and the span head. Epochs after the first train on
the hardest half of the windows (selective backprop, ``hard_subset``). Loss = span BCE on sentences that
overlap marked evidence + a multiple-instance BCE on the transcript's max span logit (so
records without span labels still train). Early stopping on validation AUROC; then Platt
calibration and the 1%-FPR operating threshold on validation.

Runs the same on one or many GPUs: ``accelerate launch -m cotscan train ...`` (batches are
dealt out by rank; gradients all-reduced by DDP).
"""
from __future__ import annotations

import hashlib
import json
import math
import random
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
import numpy as np
import torch
import torch.nn.functional as F

from .calibrate import fit_calibration
from .data import read_jsonl, validate
from .metrics import auroc
from .model import ModelConfig, SpanModel
from .windows import prepare_texts

@dataclass
class TrainConfig:
    epochs: int = 4
    batch_windows: int = 32      # encoder windows per step (per process)
    lr_encoder: float = 2e-4
    lr_head: float = 1e-3
    weight_decay: float = 0.01
    warmup: float = 0.06         # share of steps with linear warm-up
    span_pos_weight: float = 2.0
    mil_weight: float = 1.0
    patience: int = 2            # epochs without validation AUROC gain before stopping
    max_windows_per_item: int = 4  # per epoch, long transcripts train on their evidence
                                   # windows + random others up to this many (CPU budget)
    seed: int = 0
    target_fpr: float = 0.01
    count_calibration: bool = True  # Platt also gets the count of suspicious spans away from
                                    # the top span (calibrate.py; on since 1.4.1: model card,
                                    # "Calibration candidates")
    frozen_layers: int = 3
    window: int = 256
    overlap: int = 32  # 64: +0.001 AUROC (1.2.0) / +0.004 (1.3.0) for 10-16% more time (cpu_paths)
    max_span_chars: int = 400
    truncated_share: float = 0.0   # extra cut-off copies of training transcripts (see
                                   # truncated_copies); 0 = off
    later_epoch_share: float = 0.5  # after epoch 1, train each epoch on this share of the
                                    # windows, hardest transcripts first (hard_subset); 1 = off
                                    # (1.4.0: 4 epochs at 0.5 fit 60 CPU minutes, 3 full did not)
    validate_from: int = 1  # first epoch with a validation pass (and early-stopping check)
    name: str = "cotscan-minilm-v1"
    # the shipped model's label (1.7.0: `cotscan train --seed 1 --later-epoch-share 0.45
    # --validate-from 3`, model card); bump it before training the next candidate
    # (1.5.0 and 1.6.0 were trained and not shipped: benchmarks/results/decisions_*.md)
    version: str = "1.7.0"


@dataclass
class Item:
    label: int
    span_labels: np.ndarray   # float per span; -1 = unknown (no span annotation)
    ids: torch.Tensor
    mask: torch.Tensor
    owner: torch.Tensor
    n_spans: int
    segments: list
    text: str
    gold: list
    hidden: torch.Tensor | None = None


def span_labels(segments, evidence: list[dict] | None, label: int) -> np.ndarray:
    """1 for segments mostly inside marked evidence (or covering most of one), 0 otherwise;
    -1 everywhere for a positive without annotated spans."""
    if label == 0:
        return np.zeros(len(segments), dtype=np.float32)
    if not evidence:
        return np.full(len(segments), -1.0, dtype=np.float32)
    out = np.zeros(len(segments), dtype=np.float32)
    for i, s in enumerate(segments):
        for e in evidence:
            ov = min(s.end, e["end"]) - max(s.start, e["start"])
            if ov > 0 and (ov >= 0.5 * (s.end - s.start) or ov >= 0.5 * (e["end"] - e["start"])):
                out[i] = 1.0
    return out


def _load(data) -> list[dict]:
    if data is None:
        return []
    if isinstance(data, (str, Path)):
        return read_jsonl(data)
    return list(data)


def data_hash(*record_lists: list[dict]) -> str:
    h = hashlib.sha256()
    for records in record_lists:
        for r in records:
            h.update(json.dumps([r["text"], r["label"], r.get("spans") or []]).encode())
    return h.hexdigest()


def truncated_copies(records: list[dict], share: float, seed: int) -> list[dict]:
    """Cut-off copies of training transcripts: real logs often hold reasoning cut at a length
    limit, with the motive stated before any decision. A positive is cut somewhere in the
    400 characters after its first evidence span (label and the evidence inside the prefix
    kept: the motive already weighs in the choice); a negative is cut at 30-90% of its length
    (label 0 kept). Skipped: negatives that spell out a preservation argument before
    rejecting it (``neg_considers_rejects``: their prefix could read as positive), long
    composites, and texts under 600 characters. ``share`` of the eligible records get one
    copy each (deterministic in ``seed``)."""
    rng = random.Random(seed + 7)
    out = []
    for r in records:
        text, spans = r["text"], sorted(r.get("spans") or [], key=lambda s: s["start"])
        if len(text) < 600 or r.get("style") == "long_mixed" or rng.random() >= share:
            continue
        if int(r["label"]) == 1:
            if not spans:
                continue
            first = spans[0]["end"]
            cut = rng.randint(min(first + 20, len(text)), min(first + 400, len(text)))
            keep = [s for s in spans if s["end"] <= cut]
        else:
            if r.get("category") == "neg_considers_rejects":
                continue
            cut, keep = rng.randint(int(0.3 * len(text)), int(0.9 * len(text))), []
        if cut >= len(text) - 20:
            continue
        out.append({**r, "id": f"{r.get('id', '')}-cut{cut}", "text": text[:cut],
                    "spans": keep, "source": "generated"})
    return out


def split_validation(records: list[dict], share: float, seed: int):
    """Hold out whole scenario families (or ids) for validation: ``share`` of the families,
    more if needed, so that both sides hold both labels whenever the data allows it (a
    validation set of one label can neither early-stop nor calibrate)."""
    key = lambda i, r: r.get("scenario") or r.get("id") or str(i)  # noqa: E731
    labels: dict[str, set] = {}
    for i, r in enumerate(records):
        labels.setdefault(key(i, r), set()).add(int(r["label"]))
    groups = sorted(labels)
    random.Random(seed).shuffle(groups)
    n = max(1, int(len(groups) * share))
    val = set(groups[:n])
    for g in groups[n:]:  # too few families of one label in validation: take the next ones
        have = set().union(*(labels[v] for v in val))
        if have >= {0, 1}:
            break
        if labels[g] - have:
            val.add(g)
    rest = [g for g in groups if g not in val]
    if not set().union(*(labels[g] for g in rest), set()) >= {0, 1}:
        val = set(groups[:n])  # the data cannot give both sides both labels: keep the share
    return ([r for i, r in enumerate(records) if key(i, r) not in val],
            [r for i, r in enumerate(records) if key(i, r) in val])


def make_items(model: SpanModel, records: list[dict], cfg: TrainConfig) -> list[Item]:
    prepped = prepare_texts([r["text"] for r in records], model.tokenizer, cfg.window,
                            cfg.overlap, cfg.max_span_chars, model.config.segmenter_version)
    items = []
    for r, (segs, win) in zip(records, prepped):
        L = int(win.mask.sum(1).max())
        items.append(Item(int(r["label"]), span_labels(segs, r.get("spans"), int(r["label"])),
                          torch.from_numpy(win.ids[:, :L]), torch.from_numpy(win.mask[:, :L]),
                          torch.from_numpy(win.owner_span[:, :L]), win.n_spans, segs, r["text"],
                          r.get("spans") or []))
    return items


@torch.inference_mode()
def cache_frozen(model: SpanModel, items: list[Item], device, batch: int = 64) -> None:
    """Run the frozen lower layers once per window; keep their output (fp16)."""
    k = model.config.frozen_layers
    enc = model.encoder.eval()
    for it in items:
        outs = []
        for b in range(0, len(it.ids), batch):
            ids = it.ids[b:b + batch].to(device)
            mask = it.mask[b:b + batch].to(device)
            outs.append(enc(ids, mask, stop=k).to(torch.float16))
        it.hidden = torch.cat(outs)


def pick_windows(item: Item, cap: int | None, rng: random.Random) -> list[int]:
    """All windows, or (for long transcripts) the ones owning evidence + random others."""
    n = len(item.ids)
    if cap is None or n <= cap:
        return list(range(n))
    ev = set(np.flatnonzero(item.span_labels > 0).tolist())
    must = [w for w in range(n) if ev and any(int(o) in ev for o in item.owner[w][item.owner[w] >= 0])]
    rest = [w for w in range(n) if w not in must]
    rng.shuffle(rest)
    return sorted(must + rest[:max(0, cap - len(must))])


def hard_subset(items: list[Item], last_loss: np.ndarray, share: float, cap: int | None,
                rng: random.Random) -> list[int]:
    """Selective backprop (Jiang et al. 2019, "Accelerating deep learning by focusing on the
    biggest losers"), budgeted in windows because windows are what costs CPU time: the harder
    half of the transcripts by their loss when last trained on, then random easier ones,
    until ``share`` of an epoch's windows. Late in training most transcripts have near-zero
    loss and their gradients move little; the time goes to the ones still wrong."""
    cost = np.array([min(len(it.ids), cap or len(it.ids)) for it in items])
    budget = share * cost.sum()
    order = np.argsort(-last_loss, kind="stable")
    hard, easy = list(order[:len(order) // 2]), list(order[len(order) // 2:])
    rng.shuffle(easy)
    chosen, used = [], 0
    for i in hard + easy:
        if used + cost[i] > budget:
            continue
        chosen.append(int(i))
        used += cost[i]
    return sorted(chosen)


def _merge_losses(last_loss: np.ndarray, epoch_loss: np.ndarray, acc) -> np.ndarray:
    """This epoch's per-transcript losses (``+inf`` where not trained) merged into the last
    known ones. With several processes each trained its own batches, and each transcript at
    most once: a MIN all-reduce collects them, so every process picks the same subset next."""
    if acc.num_processes > 1:
        import torch.distributed as dist

        t = torch.from_numpy(epoch_loss.astype(np.float64)).to(acc.device)
        dist.all_reduce(t, op=dist.ReduceOp.MIN)
        epoch_loss = t.cpu().numpy()
    return np.where(np.isfinite(epoch_loss), epoch_loss, last_loss)


def batches(items: list[Item], max_windows: int, rng: random.Random,
            cap: int | None = None, subset: list[int] | None = None,
            ) -> list[list[tuple[int, list[int]]]]:
    """Shuffled batches of (item, chosen windows) with at most ``max_windows`` windows."""
    order = list(range(len(items))) if subset is None else list(subset)
    rng.shuffle(order)
    out, cur, n = [], [], 0
    for i in order:
        wins = pick_windows(items[i], cap, rng)
        if cur and n + len(wins) > max_windows:
            out.append(cur)
            cur, n = [], 0
        cur.append((i, wins))
        n += len(wins)
    if cur:
        out.append(cur)
    return out


def deal(bl: list[list], n_proc: int) -> list[list]:
    """Batches whose count is a multiple of ``n_proc``: with DDP every process must run the
    same number of steps (a process with one step more waits forever in the gradient
    all-reduce). The remainder is dropped; too few batches are split into ``n_proc`` smaller
    ones; too few transcripts for that, and no process trains this epoch."""
    if n_proc == 1:
        return bl
    if len(bl) >= n_proc:
        return bl[:len(bl) - len(bl) % n_proc]
    flat = [x for b in bl for x in b]
    return [flat[k::n_proc] for k in range(n_proc)] if len(flat) >= n_proc else []


def collate(items: list[Item], batch: list[tuple[int, list[int]]], device):
    L = max(items[i].ids.shape[1] for i, _ in batch)
    pad = lambda t, v: F.pad(t, (0, L - t.shape[1]), value=v)  # noqa: E731
    hid = torch.cat([F.pad(items[i].hidden[w], (0, 0, 0, L - items[i].hidden.shape[1]))
                     for i, w in batch]).to(device).float()
    mask = torch.cat([pad(items[i].mask[w], 0) for i, w in batch]).to(device)
    owners, base = [], 0
    for i, w in batch:
        o = pad(items[i].owner[w], -1)
        owners.append(torch.where(o >= 0, o + base, o))
        base += items[i].n_spans
    owner = torch.cat(owners).to(device)
    present = torch.zeros(base, dtype=torch.bool, device=device)
    present[owner[owner >= 0]] = True  # spans with at least one token in the chosen windows
    span_y = torch.from_numpy(np.concatenate([items[i].span_labels for i, _ in batch])).to(device)
    starts = np.cumsum([0] + [items[i].n_spans for i, _ in batch])
    y = torch.tensor([items[i].label for i, _ in batch], dtype=torch.float32, device=device)
    return hid, mask, owner, base, span_y, starts, y, present


def transcript_logits(span_logits: torch.Tensor, starts) -> torch.Tensor:
    return torch.stack([span_logits[a:b].max() for a, b in zip(starts[:-1], starts[1:])])


def _loss_parts(logits, span_y, starts, present, cfg: TrainConfig):
    """Spans with a known label in the chosen windows, the span pos_weight, and each
    transcript's max logit over its visible spans."""
    known = (span_y >= 0) & present
    pos_weight = torch.tensor(cfg.span_pos_weight, device=logits.device)
    visible = torch.where(present, logits, torch.full_like(logits, -1e4))
    return known, pos_weight, transcript_logits(visible, starts)


def loss_fn(logits, span_y, starts, y, present, cfg: TrainConfig) -> torch.Tensor:
    """Training loss: span BCE + ``mil_weight`` x transcript BCE, averaged over the batch."""
    known, pos_weight, t_logits = _loss_parts(logits, span_y, starts, present, cfg)
    span_loss = F.binary_cross_entropy_with_logits(
        logits[known], span_y[known], pos_weight=pos_weight) if known.any() \
        else logits.sum() * 0
    return span_loss + cfg.mil_weight * F.binary_cross_entropy_with_logits(t_logits, y)


def item_losses(logits, span_y, starts, y, present, cfg: TrainConfig) -> torch.Tensor:
    """The same loss per transcript (mean span BCE + ``mil_weight`` x transcript BCE), for
    choosing the hard ones (``hard_subset``)."""
    known, pos_weight, t_logits = _loss_parts(logits, span_y, starts, present, cfg)
    per_span = F.binary_cross_entropy_with_logits(
        logits, span_y.clamp(min=0), pos_weight=pos_weight, reduction="none") * known
    per_span_sum = torch.stack([per_span[a:b].sum() for a, b in zip(starts[:-1], starts[1:])])
    n_known = torch.stack([known[a:b].sum() for a, b in zip(starts[:-1], starts[1:])])
    mil = F.binary_cross_entropy_with_logits(t_logits, y, reduction="none")
    return per_span_sum / n_known.clamp(min=1) + cfg.mil_weight * mil


@torch.inference_mode()
def predict_items(model: SpanModel, items: list[Item], device, max_windows: int = 64):
    """(transcript logits, per-item span logits) using the cached lower layers."""
    model.eval()
    out_t, out_s = [], []
    for b in _sequential(items, max_windows):
        hid, mask, owner, n, _, starts, _, _ = collate(items, b, device)
        lg = model.span_logits(None, mask, owner, n, hidden=hid)
        out_t.append(transcript_logits(lg, starts).float().cpu())
        out_s.extend(lg[a:c].float().cpu().numpy() for a, c in zip(starts[:-1], starts[1:]))
    return torch.cat(out_t).numpy(), out_s


def _sequential(items: list[Item], max_windows: int) -> list[list[int]]:
    out, cur, n = [], [], 0
    for i, it in enumerate(items):
        if cur and n + len(it.ids) > max_windows:
            out.append(cur)
            cur, n = [], 0
        cur.append((i, list(range(len(it.ids)))))
        n += len(it.ids)
    return out + ([cur] if cur else [])


def calibrate(logits, span_logits: list[np.ndarray], items: list[Item], cfg: TrainConfig):
    """Platt scaling (+ the optional suspicious-span count term), the operating threshold and
    the evidence threshold, all fit on validation items."""
    spans = span_logits if cfg.count_calibration else None
    cal = fit_calibration(logits, [i.label for i in items], cfg.target_fpr, spans)
    cal.span_threshold = fit_span_threshold(cal, items, span_logits)
    return cal


def fit_span_threshold(cal, items: list[Item], span_logits: list[np.ndarray]) -> float:
    """Evidence threshold on span probabilities that maximises word-level span F1 on the
    annotated validation positives (the transcript threshold targets FPR, not span F1)."""
    pos = [k for k, it in enumerate(items) if it.label == 1 and it.gold]
    if not pos:
        return cal.threshold
    return best_span_threshold([items[k].text for k in pos],
                               [[(g["start"], g["end"]) for g in items[k].gold] for k in pos],
                               [[(s.start, s.end) for s in items[k].segments] for k in pos],
                               [cal.span_probs(span_logits[k]) for k in pos])


def best_span_threshold(texts, gold, segments, probs) -> float:
    """Threshold (over a grid of span-probability quantiles) with the best span token-F1."""
    from .metrics import span_token_f1

    best, best_f1 = 0.5, -1.0
    grid = np.unique(np.quantile(np.concatenate(probs), np.linspace(0.2, 0.999, 200)))
    for thr in grid:
        pred = [[sg for sg, p in zip(segs, pr) if p >= thr] for segs, pr in zip(segments, probs)]
        f1 = span_token_f1(texts, gold, pred)["f1"]
        if f1 > best_f1:
            best, best_f1 = float(thr), f1
    return best


def train(train_data=None, output_dir: str | Path = "models/cotscan-minilm-v1",
          validation_data=None, config: TrainConfig | None = None,
          command: str | None = None) -> Path:
    """Fine-tune on ``train_data`` (JSONL path or records with ``text``, ``label``, optional
    ``spans``; default: the corpus train split) and write a model folder to ``output_dir``.
    Validation: ``validation_data``, else the corpus validation split when training on the
    corpus, else 15% of the scenario families of ``train_data``."""
    from accelerate import Accelerator
    from accelerate.utils import set_seed

    cfg = config or TrainConfig()
    # cpu=True without CUDA lets `accelerate launch` / torchrun run several CPU processes (gloo)
    acc = Accelerator(cpu=not torch.cuda.is_available())
    set_seed(cfg.seed)
    t0 = time.time()
    if train_data is None:
        from .data import load_records
        train_recs, val_recs = load_records("train"), load_records("validation")
    else:
        train_recs, val_recs = _load(train_data), _load(validation_data)
        if not val_recs:
            train_recs, val_recs = split_validation(train_recs, 0.15, cfg.seed)
    train_hash, n_original = data_hash(train_recs), len(train_recs)
    if cfg.truncated_share > 0:
        train_recs = train_recs + truncated_copies(train_recs, cfg.truncated_share, cfg.seed)
    for name, recs in (("train", train_recs), ("validation", val_recs)):
        problems = validate(recs, corpus=False)
        if problems:
            raise ValueError(f"{name} data has {len(problems)} problems, e.g. {problems[:3]}")
        if len({r["label"] for r in recs}) < 2:
            raise ValueError(f"{name} data needs both labels")
    mcfg = ModelConfig(name=cfg.name, version=cfg.version, window=cfg.window,
                       overlap=cfg.overlap, frozen_layers=cfg.frozen_layers,
                       max_span_chars=cfg.max_span_chars)
    model = SpanModel(mcfg)
    device = acc.device
    for p in model.encoder.parameters():
        p.requires_grad_(False)
    trainable = [p for layer in model.encoder.layers[cfg.frozen_layers:] for p in layer.parameters()]
    for p in trainable:
        p.requires_grad_(True)
    model.to(device)
    tr_items, va_items = make_items(model, train_recs, cfg), make_items(model, val_recs, cfg)
    cache_frozen(model, tr_items, device)
    cache_frozen(model, va_items, device)
    t_cache = time.time() - t0
    say = lambda msg: acc.print(msg, flush=True)  # noqa: E731
    say(f"prepared {len(tr_items)} train / {len(va_items)} validation transcripts, "
        f"{sum(len(i.ids) for i in tr_items)} train windows, in {t_cache:.0f}s")
    opt = torch.optim.AdamW([
        {"params": trainable, "lr": cfg.lr_encoder},
        {"params": list(model.head.parameters()), "lr": cfg.lr_head}],
        weight_decay=cfg.weight_decay)
    rng = random.Random(cfg.seed)
    steps_per_epoch = math.ceil(len(batches(tr_items, cfg.batch_windows, random.Random(0),
                                            cfg.max_windows_per_item)) / acc.num_processes)
    total = math.ceil(steps_per_epoch * (1 + (cfg.epochs - 1) * min(1.0, cfg.later_epoch_share)))
    warm = max(1, int(cfg.warmup * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    ddp_model, opt = acc.prepare(model, opt)
    best, best_auc, bad, history = None, -1.0, 0, []
    last_loss = np.full(len(tr_items), np.inf)  # per transcript, when last trained on
    for epoch in range(cfg.epochs):
        ddp_model.train()
        model.encoder.layers[:cfg.frozen_layers].eval()
        subset = None
        if epoch > 0 and cfg.later_epoch_share < 1:
            subset = hard_subset(tr_items, last_loss, cfg.later_epoch_share,
                                 cfg.max_windows_per_item, rng)
        bl = deal(batches(tr_items, cfg.batch_windows, rng, cfg.max_windows_per_item, subset),
                  acc.num_processes)
        mine = bl[acc.process_index::acc.num_processes]
        te, losses = time.time(), []
        epoch_loss = np.full(len(tr_items), np.inf)
        for b in mine:
            hid, mask, owner, n, span_y, starts, y, present = collate(tr_items, b, device)
            logits = ddp_model(None, mask, owner, n, hidden=hid)
            loss = loss_fn(logits, span_y, starts, y, present, cfg)
            if cfg.later_epoch_share < 1:
                with torch.no_grad():
                    per_item = item_losses(logits.detach(), span_y, starts, y, present, cfg)
                epoch_loss[[i for i, _ in b]] = per_item.float().cpu().numpy()
            acc.backward(loss)
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            losses.append(float(loss.detach()))
        if cfg.later_epoch_share < 1:
            last_loss = _merge_losses(last_loss, epoch_loss, acc)
        if epoch + 1 < min(cfg.validate_from, cfg.epochs):
            # no validation pass (about 2.5 CPU minutes on the corpus): the weights and the
            # random streams are the same as with it, only early stopping starts later
            history.append({"epoch": epoch + 1, "loss": float(np.mean(losses)),
                            "val_auroc": None, "seconds": time.time() - te,
                            "windows": sum(len(w) for b in mine for _, w in b)})
            say(f"epoch {epoch + 1}: loss {np.mean(losses):.4f}  ({time.time() - te:.0f}s)")
            continue
        val_logits, val_spans = predict_items(model, va_items, device)
        val_auc = auroc([i.label for i in va_items], val_logits)
        history.append({"epoch": epoch + 1, "loss": float(np.mean(losses)),
                        "val_auroc": val_auc, "seconds": time.time() - te,
                        "windows": sum(len(w) for b in mine for _, w in b)})
        say(f"epoch {epoch + 1}: loss {np.mean(losses):.4f}  val AUROC {val_auc:.4f}  "
            f"({time.time() - te:.0f}s)")
        if val_auc > best_auc + 1e-4:
            best_auc, bad = val_auc, 0
            best = {k: v.detach().clone() for k, v in model.state_dict().items()}
            best_val = (val_logits, val_spans)  # same weights, same windows: no second pass
        else:
            bad += 1
            if bad >= cfg.patience:
                break
    model.load_state_dict(best)
    model.calibration = calibrate(*best_val, va_items, cfg)
    out = Path(output_dir)
    if acc.is_main_process:
        model.to("cpu").save(out)
        report = {"train_config": asdict(cfg), "history": history, "best_val_auroc": best_auc,
                  "n_train": n_original, "n_truncated_copies": len(train_recs) - n_original,
                  "n_validation": len(val_recs),
                  "train_data_sha256": train_hash,
                  "validation_data_sha256": data_hash(val_recs),
                  "seconds_total": time.time() - t0, "seconds_cache": t_cache,
                  "device": str(device), "processes": acc.num_processes,
                  "torch_threads": torch.get_num_threads(),
                  "command": command or " ".join(sys.argv)}
        (out / "train_report.json").write_text(json.dumps(report, indent=2) + "\n")
    acc.wait_for_everyone()
    return out


def recalibrate(model_dir: str | Path, validation_data=None, target_fpr: float | None = None,
                device: str | None = None, count_calibration: bool | None = None) -> Path:
    """Refit a trained model's calibration (Platt scaling, operating threshold, evidence
    threshold) on ``validation_data`` (default: the corpus validation split), running the
    encoder exactly as inference does on this machine. Use it after training elsewhere (e.g.
    on a GPU with a differently rounded copy of the base weights) or to recalibrate a model on
    your own validation transcripts. Rewrites ``calibration.json`` only."""
    folder = Path(model_dir)
    model = SpanModel.load(folder)
    report = folder / "train_report.json"
    known = json.loads(report.read_text()).get("train_config", {}) if report.exists() else {}
    cfg = TrainConfig(**{k: v for k, v in known.items() if k in TrainConfig.__dataclass_fields__})
    if target_fpr is not None:
        cfg.target_fpr = target_fpr
    if count_calibration is not None:
        cfg.count_calibration = count_calibration
    if validation_data is None:
        from .data import load_records
        recs = load_records("validation")
    else:
        recs = _load(validation_data)
    problems = validate(recs, corpus=False)
    if problems:
        raise ValueError(f"validation data has {len(problems)} problems, e.g. {problems[:3]}")
    dev = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
    model.to(dev).eval()
    items = make_items(model, recs, cfg)
    with torch.inference_mode():
        cache_frozen(model, items, dev)
        logits, spans = predict_items(model, items, dev)
    model.calibration = calibrate(logits, spans, items, cfg)
    model.calibration.save(folder / "calibration.json")
    return folder
