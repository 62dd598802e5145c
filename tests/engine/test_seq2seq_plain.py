"""The encoder–decoder without attention: gradients by finite differences (float64,
with and without source padding) and against PyTorch, and its fixed context."""
import numpy as np
import pytest

from engine.gradcheck import numerical_grad, rel_error
from engine.seq2seq import Seq2SeqAttention, Seq2SeqConfig
from engine.seq2seq_plain import Seq2SeqPlain
from engine.seq_tasks import make_batch


@pytest.mark.parametrize("padded", [True, False])
@pytest.mark.parametrize("cell", ["rnn", "gru"])
def test_backward_matches_finite_differences(cell, padded):
    rng = np.random.default_rng(0)
    model = Seq2SeqPlain(Seq2SeqConfig(7, 6, embed_dim=3, hidden_size=3, attention_size=3, cell=cell), seed=1)
    if padded:
        b = make_batch([[4, 5, 6], [5, 6]], [[4, 5], [5, 4, 4]])
        src_pad = b.src_pad
    else:
        b = make_batch([[4, 5, 6], [6, 5, 4]], [[4, 5], [5, 4]])
        src_pad = None
    w = rng.standard_normal(b.tgt_in.shape + (6,))

    def loss():
        return float((model.forward(b.src, b.tgt_in, src_pad)[0] * w).sum())

    _, cache = model.forward(b.src, b.tgt_in, src_pad)
    grads = model.backward(w, cache)
    assert grads.keys() == model.params.keys()
    assert not any(k.startswith("attention") for k in model.params)
    for name, p in model.params.items():
        assert rel_error(grads[name], numerical_grad(loss, p)) < 1e-6, name


def test_shares_every_parameter_but_attention_with_the_attention_model():
    config = Seq2SeqConfig(9, 8, embed_dim=4, hidden_size=5, attention_size=6)
    plain, attn = Seq2SeqPlain(config, seed=2), Seq2SeqAttention(config, seed=2)
    assert {k: v.shape for k, v in plain.params.items()} == \
        {k: v.shape for k, v in attn.params.items() if not k.startswith("attention.")}


def test_padding_does_not_change_a_sentence_translation():
    model = Seq2SeqPlain(Seq2SeqConfig(9, 8), seed=3)
    alone = make_batch([[5, 6]], [[4, 5]])
    padded = make_batch([[5, 6], [4, 5, 6, 7]], [[4, 5], [4]])
    a, _ = model.forward(alone.src, alone.tgt_in, alone.src_pad)
    b, _ = model.forward(padded.src, padded.tgt_in, padded.src_pad)
    np.testing.assert_allclose(b[:3, 0], a[:, 0], rtol=1e-10)


def test_matches_pytorch():
    torch = pytest.importorskip("torch")
    E, H, V = 3, 4, 7
    model = Seq2SeqPlain(Seq2SeqConfig(V, V, embed_dim=E, hidden_size=H, attention_size=2), seed=5)
    rng = np.random.default_rng(6)
    src, tgt_in = rng.integers(0, V, (5, 2)), rng.integers(0, V, (4, 2))
    w = rng.standard_normal((4, 2, V))
    t = {k: torch.tensor(v, requires_grad=True) for k, v in model.params.items()}

    def run(prefix, x, h0=None):
        """torch.nn.GRU over x, holding our parameters (the very tensors the gradients reach)."""
        gru = torch.nn.GRU(x.shape[-1], H, dtype=torch.float64)
        params = {f"{n}_l0": t[f"{prefix}.{n}"] for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
        return torch.func.functional_call(gru, params, (x,) if h0 is None else (x, h0))[0]

    x = t["src_embed.weight"][torch.tensor(src)]
    h_fwd = run("encoder", x)
    h_rev = run("encoder_reverse", x.flip(0)).flip(0)
    c = torch.cat([h_fwd[-1], h_rev[0]], -1)                          # (B, 2H)
    y = t["tgt_embed.weight"][torch.tensor(tgt_in)]
    s = run("decoder", torch.cat([y, c.expand(4, -1, -1)], -1), h_rev[0][None])
    logits = torch.cat([s, c.expand(4, -1, -1)], -1) @ t["out.weight"].T + t["out.bias"]
    (logits * torch.tensor(w)).sum().backward()
    ours, cache = model.forward(src, tgt_in)
    np.testing.assert_allclose(ours, logits.detach().numpy(), atol=1e-10)
    grads = model.backward(w, cache)
    for k, v in t.items():
        np.testing.assert_allclose(grads[k], v.grad.numpy(), atol=1e-10, err_msg=k)
