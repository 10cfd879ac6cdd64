import pytest
import torch

from cotscan import encoder as E


def test_matches_transformers_bert():
    transformers = pytest.importorskip("transformers")
    ours = E.MiniLMEncoder.from_base()
    ref = transformers.BertModel.from_pretrained(str(E.base_model_dir())).eval()
    tok = E.load_tokenizer()
    enc = tok.encode("The model reasons about whether to comply. " * 20)
    ids = torch.tensor([enc.ids, enc.ids])
    mask = torch.ones_like(ids)
    mask[1, 50:] = 0
    with torch.no_grad():
        a = ours(ids, mask)
        b = ref(input_ids=ids, attention_mask=mask).last_hidden_state
    assert torch.allclose(a[0], b[0], atol=1e-4)
    assert torch.allclose(a[1, :50], b[1, :50], atol=1e-4)


def test_base_weights_checksum_is_enforced(monkeypatch):
    path = E.verified_base_weights()
    assert E.sha256_file(path) == E.BASE_WEIGHTS_SHA256
    monkeypatch.setattr(E, "BASE_WEIGHTS_SHA256", "0" * 64)
    monkeypatch.setattr(E, "_VERIFIED", set())
    with pytest.raises(RuntimeError, match="sha256"):
        E.verified_base_weights()
