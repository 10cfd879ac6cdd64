import numpy as np

from cotscan.encoder import load_tokenizer
from cotscan.segment import segment
from cotscan.windows import make_windows


def test_every_span_token_owned_exactly_once_in_long_text():
    tok = load_tokenizer()
    text = "\n".join(f"Sentence number {i} talks about training and values." for i in range(400))
    segs = segment(text)
    enc = tok.encode(text, add_special_tokens=False)
    w = make_windows(enc.ids, enc.offsets, segs, window=128, overlap=32)
    assert w.ids.shape[1] == 128 and len(w.ids) > 10
    owned = w.owner_span[w.owner_span >= 0]
    in_span = sum(1 for a, b in enc.offsets if any(s.start <= a < s.end for s in segs))
    assert len(owned) == in_span  # no token dropped, none counted twice
    assert set(np.unique(owned)) == set(range(len(segs)))
    assert (w.ids[:, 0] == 101).all()


def test_short_text_one_window():
    tok = load_tokenizer()
    text = "<think>Short one.</think>"
    enc = tok.encode(text, add_special_tokens=False)
    w = make_windows(enc.ids, enc.offsets, segment(text))
    assert len(w.ids) == 1 and w.n_spans == 1
