"""The four character language models: gradients by finite differences (float64), PyTorch as
the oracle for the recurrent ones, and incremental reading (start/advance) equal to forward."""
import numpy as np
import pytest

from engine.gradcheck import numerical_grad, rel_error
from engine.language_models import (KINDS, SIZES, RecurrentLM, TransformerLM, build_lm,
                                    embedding_grad, load_lm, parameter_counts, save_lm)
from engine.losses import cross_entropy

V = 7


def _small(kind, seed=0):
    if kind == "transformer":
        return TransformerLM(V, d_model=8, num_layers=2, nhead=2, dim_feedforward=12, context=6,
                             seed=seed, dtype=np.float64)
    return RecurrentLM(kind, V, hidden_size=5, seed=seed, dtype=np.float64, embed_dim=4)


@pytest.mark.parametrize("kind", KINDS)
def test_every_gradient_matches_finite_differences(kind):
    model = _small(kind)
    rng = np.random.default_rng(1)
    x, y = rng.integers(0, V, (6, 3)), rng.integers(0, V, (6, 3))
    _, grads = model.loss_and_grads(x, y)
    assert grads.keys() == model.params.keys()
    for name, p in model.params.items():
        num = numerical_grad(lambda: cross_entropy(model.logits(x), y)[0], p)
        assert rel_error(grads[name], num) < 1e-6, name


def test_embedding_grad_equals_scatter_add():
    rng = np.random.default_rng(0)
    ids, d = rng.integers(0, 5, (4, 3)), rng.standard_normal((4, 3, 2))
    expected = np.zeros((5, 2))
    np.add.at(expected, ids.reshape(-1), d.reshape(-1, 2))
    np.testing.assert_allclose(embedding_grad(ids, d, 5), expected, atol=1e-14)


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_recurrent_lm_matches_torch(kind):
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    emb = torch.nn.Embedding(V, 4, dtype=torch.float64)
    rnn = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind](4, 5, dtype=torch.float64)
    head = torch.nn.Linear(5, V, dtype=torch.float64)
    ours = _small(kind)
    state = {f"embed.{k}": v for k, v in emb.state_dict().items()}
    state |= {f"rnn.{k.removesuffix('_l0')}": v for k, v in rnn.state_dict().items()}
    state |= {f"head.{k}": v for k, v in head.state_dict().items()}
    ours.load_state_dict({k: v.detach().numpy() for k, v in state.items()})
    rng = np.random.default_rng(2)
    x, y = rng.integers(0, V, (6, 3)), rng.integers(0, V, (6, 3))
    logits_t = head(rnn(emb(torch.tensor(x)))[0])
    loss_t = torch.nn.functional.cross_entropy(logits_t.reshape(-1, V), torch.tensor(y).reshape(-1))
    loss_t.backward()
    loss, grads = ours.loss_and_grads(x, y)
    assert loss == pytest.approx(loss_t.item(), rel=1e-12)
    named = {"embed.weight": emb.weight, "head.weight": head.weight, "head.bias": head.bias,
             **{f"rnn.{k.removesuffix('_l0')}": p for k, p in rnn.named_parameters()}}
    for name, p in named.items():
        np.testing.assert_allclose(grads[name], p.grad.numpy(), rtol=1e-10, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("kind", KINDS)
def test_start_and_advance_read_like_forward(kind):
    model = _small(kind)
    ids = np.random.default_rng(3).integers(0, V, 6)
    logits = model.logits(ids[:, None])[:, 0]
    log_probs, state = model.start(ids[:2])
    for t in range(2, 6):
        expected = logits[t - 1] - np.log(np.exp(logits[t - 1]).sum())
        np.testing.assert_allclose(log_probs, expected, atol=1e-10)
        log_probs, state = model.advance(state, ids[t])


def test_transformer_slides_its_window_past_the_context():
    model = _small("transformer")
    ids = np.random.default_rng(4).integers(0, V, 9)
    log_probs, _ = model.start(ids)
    tail, _ = model.start(ids[-6:])
    np.testing.assert_allclose(log_probs, tail)


def test_hidden_states_of_a_passage():
    states = _small("lstm").hidden_states([1, 2, 3, 4])
    assert set(states) == {"h", "c", "i", "f", "o"}
    assert all(v.shape == (4, 5) for v in states.values())
    assert set(_small("gru").hidden_states([1, 2])) == {"h", "r", "z"}


@pytest.mark.parametrize("size", SIZES)
def test_the_four_have_comparable_parameter_counts(size):
    counts = parameter_counts(73, size)
    assert max(counts.values()) <= 1.15 * min(counts.values()), counts


def test_unknown_kind_or_size_is_refused():
    with pytest.raises(ValueError, match="unknown model kind"):
        build_lm("cnn", 10)
    with pytest.raises(ValueError, match="unknown size"):
        build_lm("rnn", 10, size="huge")


@pytest.mark.parametrize("kind", KINDS)
def test_saved_model_loads_with_the_same_predictions(kind, tmp_path):
    model = build_lm(kind, V, "tiny", context=8, seed=1)
    save_lm(tmp_path / "m.npz", model, tuple("abcdefg"), {"note": 1})
    loaded, chars, meta = load_lm(tmp_path / "m.npz")
    assert chars == tuple("abcdefg") and meta["note"] == 1
    ids = np.arange(8)[:, None] % V
    np.testing.assert_allclose(loaded.logits(ids), model.logits(ids), atol=2e-2)  # float16 on disk


def test_transformer_lm_computes_what_decoder_only_transformer_does():
    """TransformerLM runs DecoderOnlyTransformer's layers (checked against torch in
    test_transformer.py) with a 2-D output projection and a one-hot embedding gradient."""
    model = _small("transformer")
    rng = np.random.default_rng(5)
    x, y = rng.integers(0, V, (6, 3)), rng.integers(0, V, (6, 3))
    logits, cache = model.forward(x)
    ref_logits, ref_cache = model.net.forward(x)
    np.testing.assert_allclose(logits, ref_logits, rtol=1e-12, atol=1e-12)
    d = rng.standard_normal(logits.shape)
    ours, ref = model.backward(d, cache), model.net.backward(d, ref_cache)
    for name in ref:
        np.testing.assert_allclose(ours[name], ref[name], rtol=1e-10, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("spread", [0.0, 300.0])
def test_next_char_loss_equals_cross_entropy(dtype, spread):
    """spread: rows offset by up to that much, so that one shift for the whole batch would
    underflow some rows to zero (the loss then shifts each row by its own maximum)."""
    from engine.language_models import next_char_loss
    rng = np.random.default_rng(6)
    logits = rng.standard_normal((5, 3, V)) * 4 - spread * rng.random((5, 3, 1))
    logits = logits.astype(dtype)
    y = rng.integers(0, V, (5, 3))
    loss_ref, d_ref = cross_entropy(logits.astype(np.float64), y)
    loss, d = next_char_loss(logits.copy(), y)
    tol = 1e-12 if dtype == np.float64 else 1e-5
    assert loss == pytest.approx(loss_ref, rel=tol)
    np.testing.assert_allclose(d, d_ref, atol=tol)


def test_hidden_states_read_in_chunks_equal_one_pass_and_give_only_what_is_asked(monkeypatch):
    """A long passage is read a chunk at a time, carrying the state: the same states as one
    forward over it, and `which` keeps only the states asked for (memory, ~4 KB a character)."""
    import numpy as np

    import engine.language_models as L

    model = L.build_lm("lstm", 20, "tiny", 16, seed=0)
    ids = np.random.default_rng(0).integers(0, 20, 50)
    monkeypatch.setattr(L, "STATES_CHUNK", 7)
    chunked = model.hidden_states(ids)
    monkeypatch.setattr(L, "STATES_CHUNK", 10_000)
    whole = model.hidden_states(ids)
    assert set(chunked) == {"h", "c", "i", "f", "o"}
    for name in whole:
        np.testing.assert_allclose(chunked[name], whole[name], atol=1e-6)
    assert set(model.hidden_states(ids, which=("c",))) == {"c"}
