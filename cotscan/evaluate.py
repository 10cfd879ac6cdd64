"""``cotscan eval``: the model and the baselines on one labeled set, side by side, with
bootstrap 95% intervals; also on the hard-negative subset (positives + hard negatives)."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from . import metrics as M
from .data import is_hard_negative

BASELINES = ("keyword", "tfidf", "frozen_embedding")


def groups_of(records: list[dict], field: str | None) -> list[str] | None:
    """Bootstrap groups: the value of ``field`` per record (a record without one is its own
    group), or None for a plain record bootstrap."""
    if not field:
        return None
    return [str(r[field]) if r.get(field) is not None else f"#{i}"
            for i, r in enumerate(records)]


def _ranking_metrics(y, s, n_boot: int, seed: int, groups=None) -> dict:
    y, s = np.asarray(y), np.asarray(s, dtype=float)
    out = {}
    for name, fn in (("auroc", M.auroc), ("auprc", M.auprc),
                     ("tpr@1%fpr", lambda a, b: M.tpr_at_fpr(a, b, 0.01)),
                     ("tpr@5%fpr", lambda a, b: M.tpr_at_fpr(a, b, 0.05))):
        out[name] = M.bootstrap_ci(fn, y, s, n=n_boot, seed=seed, stratify=y, groups=groups)
    return out


def model_metrics(results, records, n_boot: int = 1000, seed: int = 0,
                  groups: list | None = None) -> dict:
    """The model's metrics with bootstrap intervals (``groups``: see :func:`groups_of`)."""
    y = np.array([r["label"] for r in records])
    p = np.array([res.score for res in results])
    thr = results[0].threshold
    out = _ranking_metrics(y, p, n_boot, seed, groups)
    ci = lambda fn: M.bootstrap_ci(fn, y, p, n=n_boot, seed=seed, stratify=y,  # noqa: E731
                                   groups=groups)
    out["accuracy@thr"] = ci(lambda a, b: M.accuracy_at(a, b, thr))
    out["fpr@thr"] = ci(lambda a, b: M.fpr_at(a, b, thr))
    out["ece"] = ci(M.ece)
    pos = [i for i, r in enumerate(records) if r["label"] == 1 and r.get("spans")]
    if pos:
        texts = [records[i]["text"] for i in pos]
        gold = [[(s["start"], s["end"]) for s in records[i]["spans"]] for i in pos]
        pred = [[(s.start, s.end) for s in results[i].evidence] for i in pos]
        f1 = lambda idx: M.span_token_f1([texts[j] for j in idx], [gold[j] for j in idx],  # noqa
                                         [pred[j] for j in idx])["f1"]
        idx = np.arange(len(pos))
        out["span_token_f1"] = M.bootstrap_ci(
            f1, idx, n=n_boot, seed=seed,
            groups=None if groups is None else [groups[i] for i in pos])
    return out


def fit_baselines(names: Sequence[str], train_records: list[dict] | None) -> dict:
    """Fitted baseline estimators (trained ones only when ``train_records`` are given)."""
    from .baselines import FrozenEmbeddingBaseline, KeywordBaseline, TfidfBaseline

    Xt = [r["text"] for r in train_records or []]
    yt = [r["label"] for r in train_records or []]
    out = {}
    for name in names:
        if name == "keyword":
            out[name] = KeywordBaseline().fit()
        elif not Xt:
            continue  # trained baselines need training data
        elif name == "tfidf":
            out[name] = TfidfBaseline().fit(Xt, yt)
        elif name == "frozen_embedding":
            out[name] = FrozenEmbeddingBaseline().fit(Xt, yt)
        else:
            raise ValueError(f"unknown baseline {name!r}")
    return out


def evaluate(records: list[dict], scanner=None, baselines: dict | None = None,
             n_boot: int = 1000, seed: int = 0, subsets: bool = True,
             group_by: str | None = None) -> dict:
    """Metrics for the model (``scanner``; default shipped model) and fitted ``baselines``
    (see :func:`fit_baselines`) on one labeled set. ``group_by`` (e.g. ``"scenario"``):
    bootstrap whole groups of records, see :func:`groups_of`."""
    from .scanner import Scanner

    scanner = scanner or Scanner()
    results = list(scanner.score_many(r["text"] for r in records))
    base = {name: est.decision_function([r["text"] for r in records])
            for name, est in (baselines or {}).items()}
    groups = groups_of(records, group_by)
    report = {"n": len(records), "n_positive": int(sum(r["label"] for r in records)),
              "model_name": scanner.name, "threshold": results[0].threshold,
              "bootstrap_groups": group_by,
              "all": {"model": model_metrics(results, records, n_boot, seed, groups)}}
    y = [r["label"] for r in records]
    for name, s in base.items():
        report["all"][name] = _ranking_metrics(y, s, n_boot, seed, groups)
    if subsets and any(r.get("category") for r in records):
        idx = [i for i, r in enumerate(records) if r["label"] == 1 or is_hard_negative(r)]
        sub = [records[i] for i in idx]
        sub_groups = None if groups is None else [groups[i] for i in idx]
        report["hard_negatives"] = {"n": len(sub), "model": model_metrics(
            [results[i] for i in idx], sub, n_boot, seed, sub_groups)}
        for name, s in base.items():
            report["hard_negatives"][name] = _ranking_metrics(
                [r["label"] for r in sub], np.asarray(s)[idx], n_boot, seed, sub_groups)
    report["_results"] = results
    report["_baseline_scores"] = {name: np.asarray(v, dtype=float).tolist()
                                  for name, v in base.items()}
    return report


def format_report(report: dict) -> str:
    """Plain-text table: one row per (subset, system), point [low, high] per metric."""
    cols = ["auroc", "auprc", "tpr@1%fpr", "tpr@5%fpr", "accuracy@thr", "fpr@thr", "ece",
            "span_token_f1"]
    lines = [f"n={report['n']} (positives {report['n_positive']}), model {report['model_name']}, "
             f"threshold {report['threshold']:.4f}"
             + (f", intervals resample whole {report['bootstrap_groups']} groups"
                if report.get("bootstrap_groups") else "")]
    head = f"{'subset':<15}{'system':<18}" + "".join(f"{c:>22}" for c in cols)
    lines.append(head)
    for subset in ("all", "hard_negatives"):
        if subset not in report:
            continue
        for system, m in report[subset].items():
            if system == "n":
                continue
            cells = []
            for c in cols:
                if c in m:
                    p, lo, hi = m[c]
                    cells.append(f"{p:.3f} [{lo:.3f},{hi:.3f}]".rjust(22))
                else:
                    cells.append("-".rjust(22))
            lines.append(f"{subset:<15}{system:<18}" + "".join(cells))
    return "\n".join(lines)
