"""Command line: ``cotscan score | scan | train | eval | report | stress``. Parsing only; the
work happens in the modules named by each command."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _add_model(p):
    p.add_argument("--model", default=None, help="model folder or shipped name (default: shipped)")
    p.add_argument("--device", default=None, help="cpu, cuda, cuda:1, ... (default: auto)")
    p.add_argument("--batch-size", type=int, default=None, help="encoder windows per batch")


def cmd_score(a) -> int:
    from .scanner import Scanner

    text = Path(a.file).read_text(encoding="utf-8") if a.file else (
        a.text if a.text not in (None, "-") else sys.stdin.read())
    r = Scanner(a.model, a.device, a.batch_size).score(text)
    if a.html:
        Path(a.html).write_text(r.to_html(), encoding="utf-8")
    if a.json:
        print(json.dumps(r.to_dict(spans=a.spans, include_text=False), indent=2))
    else:
        print(f"score {r.score:.4f}  {'FLAGGED' if r.flagged else 'not flagged'} "
              f"(threshold {r.threshold:.4f})  detectability {r.detectability:.2f}")
        for s in r.top_spans(a.top):
            print(f"  [{s.start}:{s.end}] {s.score:.3f}  {s.text[:160]!r}")
    return 0


def cmd_scan(a) -> int:
    from .scan import ScanOptions, run_scan
    from .scanner import Scanner

    opts = ScanOptions(fmt=a.format, text_field=a.text_field, messages_field=a.messages_field,
                       id_field=a.id_field, spans=a.spans, top_k=a.top, keep=a.keep or (),
                       buffer=a.buffer)
    summary = run_scan(a.inputs, a.output, opts, Scanner(a.model, a.device, a.batch_size),
                       quiet=a.quiet)
    if a.summary:
        Path(a.summary).write_text(json.dumps(summary.to_dict(), indent=2) + "\n")
    print(summary.line(), file=sys.stderr)
    return 1 if summary.errored else 0


COUNT_HELP = ("fit the count term of suspicious spans away from the top span (fewer false "
              "positives on transcripts with many near-miss sentences; model card, "
              "'Calibration candidates')")


def cmd_train(a) -> int:
    from .training import TrainConfig, train

    cfg = TrainConfig(epochs=a.epochs, seed=a.seed, batch_windows=a.batch_windows,
                      frozen_layers=a.frozen_layers, lr_encoder=a.lr,
                      max_windows_per_item=a.max_windows_per_item, window=a.window,
                      overlap=a.overlap, truncated_share=a.truncated_share, name=a.name,
                      count_calibration=a.count_calibration,
                      later_epoch_share=a.later_epoch_share, validate_from=a.validate_from)
    out = train(a.data, a.output, a.validation, cfg, command="cotscan " + " ".join(sys.argv[1:]))
    print(f"model written to {out}", file=sys.stderr)
    return 0


def cmd_calibrate(a) -> int:
    from .training import recalibrate

    out = recalibrate(a.model_dir, a.data, a.target_fpr, count_calibration=a.count_calibration)
    print((out / "calibration.json").read_text())
    return 0


def cmd_eval(a) -> int:
    from .data import load_records, read_jsonl
    from .evaluate import evaluate, fit_baselines, format_report
    from .scanner import Scanner

    train_records = None
    if not a.no_train_baselines:
        train_records = read_jsonl(a.train) if a.train else load_records("train")
    names = a.baselines.split(",") if a.baselines else ()
    fitted = fit_baselines(names, train_records)  # fitted once, applied to every data file
    scanner = Scanner(a.model, a.device, a.batch_size)
    reports, predictions = {}, []
    for path in a.data:
        records = read_jsonl(path)
        rep = evaluate(records, scanner, fitted, n_boot=a.bootstrap, group_by=a.group_by)
        base = rep.pop("_baseline_scores")
        predictions += [{"data": path, "id": r.get("id", i), "label": r["label"],
                         "score": res.score, "flagged": res.flagged,
                         "baselines": {name: v[i] for name, v in base.items()}}
                        for i, (r, res) in enumerate(zip(records, rep.pop("_results")))]
        print(f"== {path}")
        print(format_report(rep))
        reports[path] = rep
    if a.json:
        Path(a.json).write_text(json.dumps(reports, indent=2) + "\n")
    if a.predictions:
        Path(a.predictions).write_text("".join(json.dumps(x) + "\n" for x in predictions))
    return 0


def cmd_report(a) -> int:
    from .report import detectability_report

    rep = detectability_report(a.scan, condition=a.condition_field, behavior=a.behavior_field,
                               n_boot=a.bootstrap)
    print(rep.summary())
    if a.plot:
        rep.plot(a.plot)
    if a.json:
        Path(a.json).write_text(json.dumps(rep.to_dict(), indent=2) + "\n")
    return 0


def cmd_stress(a) -> int:
    from .data import read_jsonl
    from .scanner import Scanner
    from .stress import TRANSFORMS, format_table, plot, stress_test

    records = read_jsonl(a.data)
    if a.max_records and len(records) > a.max_records:
        import random
        records = random.Random(a.seed).sample(records, a.max_records)
    rep = stress_test(records, Scanner(a.model, a.device, a.batch_size),
                      transforms=a.transforms.split(",") if a.transforms else TRANSFORMS,
                      strengths=[float(x) for x in a.strengths.split(",")], seed=a.seed)
    print(format_table(rep))
    if a.plot:
        plot(rep, a.plot)
    if a.json:
        Path(a.json).write_text(json.dumps(rep, indent=2) + "\n")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="cotscan", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("score", help="score one transcript (argument, --file, or stdin)")
    p.add_argument("text", nargs="?", default=None)
    p.add_argument("--file")
    p.add_argument("--json", action="store_true")
    p.add_argument("--spans", choices=("all", "top", "none"), default="top")
    p.add_argument("--top", type=int, default=3)
    p.add_argument("--html", help="write a highlighted HTML view here")
    _add_model(p)
    p.set_defaults(fn=cmd_score)

    p = sub.add_parser("scan", help="label every record of eval logs (JSONL out, resumable)")
    p.add_argument("inputs", nargs="+")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--format", choices=("jsonl", "json", "csv", "parquet", "datasets", "inspect"))
    p.add_argument("--text-field")
    p.add_argument("--messages-field")
    p.add_argument("--id-field", default="id")
    p.add_argument("--spans", choices=("all", "top", "none"), default="top")
    p.add_argument("--top", type=int, default=3)
    p.add_argument("--keep", nargs="*", help="input fields (dotted paths) copied to the output")
    p.add_argument("--buffer", type=int, default=256,
                   help="records scored together (memory bound; length-sorted inside)")
    p.add_argument("--summary", help="write the run summary as JSON here")
    p.add_argument("--quiet", action="store_true")
    _add_model(p)
    p.set_defaults(fn=cmd_scan)

    p = sub.add_parser("train", help="fine-tune a model folder (default data: the corpus)")
    p.add_argument("--data", help="training JSONL (text, label, optional spans)")
    p.add_argument("--validation", help="validation JSONL (default: corpus validation split, "
                   "or 15%% of the --data scenario families)")
    p.add_argument("-o", "--output", default="models/cotscan-minilm-v1")
    from .training import TrainConfig  # defaults live in one place

    d = TrainConfig()
    p.add_argument("--epochs", type=int, default=d.epochs)
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--batch-windows", type=int, default=d.batch_windows)
    p.add_argument("--frozen-layers", type=int, default=d.frozen_layers)
    p.add_argument("--lr", type=float, default=d.lr_encoder, help="encoder learning rate")
    p.add_argument("--max-windows-per-item", type=int, default=d.max_windows_per_item)
    p.add_argument("--window", type=int, default=d.window, help="tokens per encoder window")
    p.add_argument("--overlap", type=int, default=d.overlap, help="tokens shared by windows")
    p.add_argument("--truncated-share", type=float, default=d.truncated_share,
                   help="add cut-off copies of this share of training transcripts")
    p.add_argument("--later-epoch-share", type=float, default=d.later_epoch_share,
                   help="after epoch 1, train each epoch on this share of the windows, "
                   "hardest transcripts first (selective backprop; 1 = off)")
    p.add_argument("--validate-from", type=int, default=d.validate_from,
                   help="first epoch that runs a validation pass (2 saves one pass; the weights "
                   "are the same unless epoch 1 would have been the best)")
    p.add_argument("--name", default=d.name)
    p.add_argument("--count-calibration", action=argparse.BooleanOptionalAction,
                   default=d.count_calibration, help=COUNT_HELP)
    p.set_defaults(fn=cmd_train)

    p = sub.add_parser("calibrate", help="refit a model's calibration and thresholds on "
                       "validation data, running the encoder as inference does here")
    p.add_argument("model_dir")
    p.add_argument("--data", help="validation JSONL (default: corpus validation split)")
    p.add_argument("--target-fpr", type=float, default=None)
    p.add_argument("--count-calibration", action=argparse.BooleanOptionalAction, default=None,
                   help=COUNT_HELP + " (default: as the model was trained)")
    p.set_defaults(fn=cmd_calibrate)

    p = sub.add_parser("eval", help="metrics with bootstrap CIs, next to baselines")
    p.add_argument("data", nargs="+", help="JSONL file(s) with text, label, optional spans")
    p.add_argument("--train", help="train JSONL for the trained baselines (default: corpus train)")
    p.add_argument("--no-train-baselines", action="store_true")
    p.add_argument("--baselines", default="keyword,tfidf,frozen_embedding")
    p.add_argument("--bootstrap", type=int, default=1000)
    p.add_argument("--group-by", metavar="FIELD",
                   help="resample whole groups of records sharing FIELD (e.g. scenario) in "
                   "the bootstrap: intervals for new families, not new records of known ones")
    p.add_argument("--json", help="write the report as JSON here")
    p.add_argument("--predictions", help="write one JSONL line per record here (data file, "
                   "id, label, score, flagged, baseline scores) for error analysis")
    _add_model(p)
    p.set_defaults(fn=cmd_eval)

    p = sub.add_parser("report", help="compliance gap vs flagged reasoning, from scan output")
    p.add_argument("scan", help="JSONL written by cotscan scan")
    p.add_argument("--condition-field", default="condition")
    p.add_argument("--behavior-field", default="behavior")
    p.add_argument("--bootstrap", type=int, default=1000)
    p.add_argument("--plot", help="write the figure (PNG) here")
    p.add_argument("--json", help="write the report as JSON here")
    p.set_defaults(fn=cmd_report)

    p = sub.add_parser("stress", help="recall under evasion transformations")
    p.add_argument("data", help="JSONL with text, label, spans")
    p.add_argument("--transforms", help="comma-separated subset (default: all)")
    p.add_argument("--strengths", default="0,0.25,0.5,1")
    p.add_argument("--max-records", type=int, default=None)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--plot")
    p.add_argument("--json")
    _add_model(p)
    p.set_defaults(fn=cmd_stress)

    a = ap.parse_args(argv)
    return a.fn(a)


if __name__ == "__main__":
    sys.exit(main())
