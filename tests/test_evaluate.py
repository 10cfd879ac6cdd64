"""`cotscan eval`: model and baselines side by side, record or family bootstrap, predictions."""
import json

from cotscan.cli import main
from cotscan.data import load_records


def test_eval_cli_groups_and_predictions(tmp_path, capsys):
    recs = [r for r in load_records("validation") if len(r["text"]) < 1200]
    fams = sorted({r["scenario"] for r in recs})[:6]
    small = [r for r in recs if r["scenario"] in fams]
    assert {r["label"] for r in small} == {0, 1}
    data = tmp_path / "small.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in small))
    out, preds = tmp_path / "rep.json", tmp_path / "pred.jsonl"
    args = [str(data), "--no-train-baselines", "--baselines", "keyword", "--bootstrap", "200",
            "--json", str(out)]
    assert main(["eval", *args]) == 0
    plain = json.loads(out.read_text())[str(data)]
    assert main(["eval", *args, "--group-by", "scenario", "--predictions", str(preds)]) == 0
    grouped = json.loads(out.read_text())[str(data)]
    assert "resample whole scenario groups" in capsys.readouterr().out
    assert grouped["bootstrap_groups"] == "scenario" and plain["bootstrap_groups"] is None
    for system in ("model", "keyword"):
        p, lo, hi = grouped["all"][system]["auroc"]
        assert p == plain["all"][system]["auroc"][0] and lo <= p <= hi
    # the resampling differs (how much wider it is: tests/test_metrics.py)
    assert grouped["all"]["keyword"]["auroc"][1:] != plain["all"]["keyword"]["auroc"][1:]
    lines = [json.loads(x) for x in preds.read_text().splitlines()]
    assert [x["id"] for x in lines] == [r["id"] for r in small]
    assert all(0 <= x["score"] <= 1 and x["label"] in (0, 1) for x in lines)
    assert all(set(x["baselines"]) == {"keyword"} for x in lines)
