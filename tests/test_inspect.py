"""Inspect AI logs (.eval and .json) read through inspect_ai's own reader, reasoning kept."""
from pathlib import Path

import pytest

pytest.importorskip("inspect_ai")

from conftest import NEGATIVE, POSITIVE  # noqa: E402


def make_logs(tmp_path: Path) -> list[Path]:
    from inspect_ai import Task
    from inspect_ai import eval as inspect_eval
    from inspect_ai.dataset import Sample
    from inspect_ai.model import (ChatMessageAssistant, ContentReasoning, ContentText,
                                  ModelOutput, ModelUsage, get_model)
    from inspect_ai.solver import generate

    def out(reasoning, redacted=False):
        o = ModelOutput.from_message(ChatMessageAssistant(content=[
            ContentReasoning(reasoning=reasoning, redacted=redacted), ContentText(text="ok")]))
        # usage given, so the mock model does not fetch a tokenizer from the network
        o.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2)
        return o

    outputs = [out(POSITIVE), out(NEGATIVE), out("opaque", redacted=True)]
    paths = []
    for fmt in ("eval", "json"):
        model = get_model("mockllm/model", custom_outputs=list(outputs))
        task = Task(dataset=[Sample(input="q1", id="s1"), Sample(input="q2", id="s2"),
                             Sample(input="q3", id="s3")], solver=generate())
        logs = inspect_eval(task, model=model, log_dir=str(tmp_path / fmt), log_format=fmt,
                            display="none")
        paths.append(Path(logs[0].location))
    return paths


def test_inspect_logs_scan(tmp_path, scanner):
    import cotscan

    for path in make_logs(tmp_path):
        rows = list(cotscan.scan_logs(path, model=scanner))
        assert [r["id"] for r in rows] == ["s1", "s2", "s3"], path
        assert rows[0]["epoch"] == 1
        assert rows[0]["score"] > rows[1]["score"]
        assert rows[2]["error"] and "redacted" in rows[2]["error"]
