import pytest

from cotscan.transcript import extract, from_af_paper, from_messages


def test_string_unchanged():
    t = extract("  Some reasoning.\n")
    assert t.text == "  Some reasoning.\n" and t.extraction == "text"


@pytest.mark.parametrize("bad, exc, words", [
    ("", ValueError, "empty"), ("   \n\t", ValueError, "empty"),
    (123, TypeError, "int"), (None, TypeError, "NoneType"),
    ("ok \ud800 text", ValueError, "surrogate"), (b"\xff\xfe bad", ValueError, "UTF-8"),
    ("a" * 1_000_001, ValueError, "too long"), ("x\x00y", ValueError, "NUL"),
])
def test_bad_inputs_are_named(bad, exc, words):
    with pytest.raises(exc, match=words):
        extract(bad)


def test_openai_and_vllm_reasoning_content():
    msgs = [{"role": "user", "content": "hi"},
            {"role": "assistant", "content": "answer", "reasoning_content": "I think so."}]
    t = from_messages(msgs)
    assert t.text == "I think so." and "reasoning_content" in t.extraction


def test_anthropic_thinking_blocks_and_redacted():
    msgs = [{"role": "assistant", "content": [
        {"type": "thinking", "thinking": "Step one."},
        {"type": "text", "text": "Hello"}]}]
    assert from_messages(msgs).text == "Step one."
    with pytest.raises(ValueError, match="redacted"):
        from_messages([{"role": "assistant", "content": [{"type": "redacted_thinking",
                                                          "data": "xx"}]}])


def test_think_tags_in_content_and_no_reasoning():
    t = from_messages([{"role": "assistant", "content": "<think>hmm ok</think>The answer"}])
    assert t.text == "<think>hmm ok</think>"
    with pytest.raises(ValueError, match="no reasoning found"):
        from_messages([{"role": "assistant", "content": "just an answer"}])


def test_af_paper_all_scratchpads_and_tier():
    text = ("<INPUT><is_free_tier_user>True</is_free_tier_user><user_input>q</user_input></INPUT>"
            "<SCRATCHPAD_REASONING>one</SCRATCHPAD_REASONING>"
            "<SCRATCHPAD_REASONING>two</SCRATCHPAD_REASONING><OUTPUT>x</OUTPUT>")
    t = from_af_paper(text)
    assert "one" in t.text and "two" in t.text and "<OUTPUT>" not in t.text
    assert t.condition == "training"
    t2 = from_af_paper(text.replace("True", "False"))
    assert t2.condition == "unmonitored"


def test_record_fields():
    assert extract({"text": "abc.", "condition": "training"}).condition == "training"
    with pytest.raises(ValueError, match="none of the fields"):
        extract({"foo": 1})
