"""The attention-only Transformer: gradients by finite differences (float64) and
against PyTorch, causal and bidirectional, with padding."""
import numpy as np
import pytest

from engine.attention import causal_mask
from engine.attention_only import AttentionOnlyConfig, AttentionOnlyTransformer
from engine.gradcheck import numerical_grad, rel_error
from engine.losses import cross_entropy


def tiny(causal: bool, seed: int = 0) -> AttentionOnlyTransformer:
    return AttentionOnlyTransformer(AttentionOnlyConfig(vocab=7, d_model=8, nhead=2, num_layers=2,
                                                        max_len=6, causal=causal), seed=seed)


@pytest.mark.parametrize("causal", [True, False])
@pytest.mark.parametrize("padded", [False, True])
def test_backward_matches_finite_differences(causal, padded):
    model = tiny(causal)
    rng = np.random.default_rng(1)
    for p in model.params.values():  # biases away from zero, so their gradients are exercised
        p += rng.normal(0, 0.3, p.shape)
    ids = rng.integers(0, 7, (5, 3))
    targets = rng.integers(0, 7, (5, 3))
    pad = np.zeros((3, 5), dtype=bool)
    if padded:
        pad[1, 3:] = True
    kpm = pad if padded else None

    def loss():
        return cross_entropy(model.forward(ids, kpm)[0], targets)[0]

    logits, cache = model.forward(ids, kpm)
    _, d_logits = cross_entropy(logits, targets)
    grads = model.backward(d_logits, cache)
    assert grads.keys() == model.params.keys()
    for name, p in model.params.items():
        assert rel_error(grads[name], numerical_grad(loss, p)) < 1e-6, name


def test_causal_model_never_looks_ahead_and_bidirectional_does():
    ids = np.array([1, 2, 3, 4, 5])
    causal = tiny(True).attention(ids)
    both = tiny(False).attention(ids)
    assert causal.shape == both.shape == (2, 2, 5, 5)
    assert np.all(causal[..., causal_mask(5)] == 0)
    assert np.all(both[..., causal_mask(5)] > 0)
    np.testing.assert_allclose(causal.sum(-1), 1)


def test_longer_than_max_len_is_refused_in_words():
    with pytest.raises(ValueError, match="at most 6"):
        tiny(True).forward(np.zeros((7, 1), dtype=np.int64))


@pytest.mark.parametrize("causal", [True, False])
def test_matches_pytorch_forward_and_gradients(causal):
    torch = pytest.importorskip("torch")
    model = tiny(causal, seed=3)
    rng = np.random.default_rng(4)
    ids = rng.integers(0, 7, (5, 2))
    targets = rng.integers(0, 7, (5, 2))
    t = {k: torch.tensor(v, requires_grad=True) for k, v in model.params.items()}
    mhas = []
    for i in range(2):
        m = torch.nn.MultiheadAttention(8, 2).double()
        m.load_state_dict({"in_proj_weight": t[f"layers.{i}.in_proj_weight"].detach(),
                           "in_proj_bias": t[f"layers.{i}.in_proj_bias"].detach(),
                           "out_proj.weight": t[f"layers.{i}.out_proj.weight"].detach(),
                           "out_proj.bias": t[f"layers.{i}.out_proj.bias"].detach()})
        mhas.append(m)
    x = t["embed.weight"][torch.tensor(ids)] + t["pos.weight"][:5, None]
    mask = torch.tensor(causal_mask(5)) if causal else None
    for m in mhas:
        x = x + m(x, x, x, attn_mask=mask, need_weights=False)[0]
    logits = x @ t["lm_head.weight"].T + t["lm_head.bias"]
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, 7), torch.tensor(targets).reshape(-1))
    loss.backward()
    ours, cache = model.forward(ids)
    np.testing.assert_allclose(ours, logits.detach().numpy(), atol=1e-10)
    grads = model.backward(cross_entropy(ours, targets)[1], cache)
    for k in ("embed.weight", "pos.weight", "lm_head.weight"):
        np.testing.assert_allclose(grads[k], t[k].grad.numpy(), atol=1e-10)
    for i, m in enumerate(mhas):
        for name, p in m.named_parameters():
            np.testing.assert_allclose(grads[f"layers.{i}.{name}"], p.grad.numpy(), atol=1e-10)
