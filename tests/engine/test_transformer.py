"""Transformer layers and models: names, caches, gradients with and without masks."""
import numpy as np
import pytest

import engine
from engine.attention import causal_mask
from engine.gradcheck import numerical_grad, rel_error
from engine.losses import cross_entropy
from engine.decoder_only import DecoderOnlyConfig
from engine.transformer import TransformerConfig


def randomize(module, rng, scale=0.5):
    """Non-zero biases and non-unit norms, so every term of the gradient shows."""
    for p in module.params.values():
        p += rng.standard_normal(p.shape) * scale * (p.ndim == 1)


def check_grads(loss, analytic: dict, arrays: dict, tol=1e-6):
    assert analytic.keys() == arrays.keys()
    for name, x in arrays.items():
        assert rel_error(analytic[name], numerical_grad(loss, x)) < tol, name


def test_feedforward_is_relu_mlp_with_its_gradients():
    rng = np.random.default_rng(0)
    ff = engine.FeedForward(4, 6, seed=1)
    randomize(ff, rng)
    x, w = rng.standard_normal((3, 2, 4)), rng.standard_normal((3, 2, 4))
    y, cache = ff.forward(x)
    h = np.maximum(x @ ff.params["linear1.weight"].T + ff.params["linear1.bias"], 0)
    np.testing.assert_allclose(y, h @ ff.params["linear2.weight"].T + ff.params["linear2.bias"], rtol=1e-12)
    np.testing.assert_array_equal(cache.hidden.reshape(h.shape), h)

    def loss():
        return float((ff.forward(x)[0] * w).sum())

    dx, grads = ff.backward(w, cache)
    check_grads(loss, {"x": dx, **grads}, {"x": x, **ff.params})


def test_encoder_layer_names_follow_pytorch():
    layer = engine.TransformerEncoderLayer(8, 2, 16)
    assert set(layer.state_dict()) == {
        "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
        "self_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight",
        "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"}
    dec = engine.TransformerDecoderLayer(8, 2, 16)
    assert {k.split(".")[0] for k in dec.state_dict()} == {
        "self_attn", "multihead_attn", "linear1", "linear2", "norm1", "norm2", "norm3"}


@pytest.mark.parametrize("masked", [False, True])
def test_encoder_layer_backward_matches_finite_differences(masked):
    rng = np.random.default_rng(1)
    L, B, E = 4, 2, 4
    layer = engine.TransformerEncoderLayer(E, 2, 6, seed=2)
    randomize(layer, rng)
    src, w = rng.standard_normal((L, B, E)), rng.standard_normal((L, B, E))
    mask = causal_mask(L) if masked else None
    pad = np.array([[False] * 4, [False, False, False, True]]) if masked else None

    def loss():
        return float((layer.forward(src, mask, pad)[0] * w).sum())

    out, cache = layer.forward(src, mask, pad)
    d_src, grads = layer.backward(w, cache)
    check_grads(loss, {"src": d_src, **grads}, {"src": src, **layer.params})


@pytest.mark.parametrize("masked", [False, True])
def test_decoder_layer_backward_matches_finite_differences(masked):
    """masked: a causal tgt_mask, a memory_mask and both key padding masks at once."""
    rng = np.random.default_rng(3)
    T, S, B, E = 3, 4, 2, 4
    layer = engine.TransformerDecoderLayer(E, 2, 5, seed=4)
    randomize(layer, rng)
    tgt, memory, w = rng.standard_normal((T, B, E)), rng.standard_normal((S, B, E)), rng.standard_normal((T, B, E))
    tgt_mask = causal_mask(T) if masked else None
    memory_mask = (rng.random((T, S)) < 0.4) & ~np.eye(T, S, dtype=bool) if masked else None
    # trailing padding in the second sequence; every query row keeps a key to attend to
    tgt_pad = np.array([[False] * 3, [False, False, True]]) if masked else None
    memory_pad = np.array([[False] * 4, [False, False, False, True]]) if masked else None
    masks = (tgt_mask, memory_mask, tgt_pad, memory_pad)

    def loss():  # every position counts, the padded queries too, so the masks reach the loss
        return float((layer.forward(tgt, memory, *masks)[0] * w).sum())

    out, cache = layer.forward(tgt, memory, *masks)
    if masked:  # padded keys get no weight
        assert np.all(cache.weights[1, ..., 2] == 0) and np.all(cache.cross_weights[1, ..., 3] == 0)
    d_tgt, d_memory, grads = layer.backward(w, cache)
    check_grads(loss, {"tgt": d_tgt, "memory": d_memory, **grads},
                {"tgt": tgt, "memory": memory, **layer.params})


def test_layer_caches_expose_what_the_scenes_draw():
    rng = np.random.default_rng(5)
    layer = engine.TransformerDecoderLayer(8, 4, 16)
    tgt, memory = rng.standard_normal((3, 2, 8)), rng.standard_normal((5, 2, 8))
    out, cache = layer.forward(tgt, memory, causal_mask(3))
    assert cache.weights.shape == (2, 4, 3, 3) and cache.cross_weights.shape == (2, 4, 3, 5)
    assert np.all(cache.weights[..., np.triu_indices(3, 1)[0], np.triu_indices(3, 1)[1]] == 0)
    attn = cache.self_attn.attn
    np.testing.assert_allclose(attn.scaled_scores[~np.isinf(attn.scaled_scores)],
                               (attn.scores / np.sqrt(2))[~np.isinf(attn.scaled_scores)])
    sa, _ = layer.self_attn.forward(tgt, tgt, tgt, causal_mask(3))
    np.testing.assert_allclose(cache.norm1.x, tgt + sa, rtol=1e-12)  # pre-norm: the residual sum
    np.testing.assert_allclose(cache.norm1.y.std(-1), 1, rtol=1e-3)  # post-norm
    assert cache.norm3.y is out  # post-norm output of the block


def tiny_transformer(seed=0):
    config = TransformerConfig(src_vocab=6, tgt_vocab=5, d_model=4, nhead=2, num_encoder_layers=1,
                               num_decoder_layers=1, dim_feedforward=6, max_len=8)
    return engine.Transformer(config, seed=seed)


@pytest.mark.parametrize("loss_on_padding", [False, True])
def test_transformer_backward_matches_finite_differences_with_padding(loss_on_padding):
    """Source and target padding, as engine/recipes/phrases.py trains the seq2seq Transformer.

    With the training loss mask the target padding cannot change the loss (under the
    causal mask only the padded position itself could see its key), so a second case
    counts every position and the padded query rows carry the mask into the loss.
    """
    rng = np.random.default_rng(6)
    model = tiny_transformer()
    randomize(model, rng)
    src = np.array([[4, 5], [5, 1], [2, 1]])  # (S, B), second sentence padded
    src_pad = np.array([[False, False, False], [False, True, True]])
    tgt_in, tgt_out = np.array([[2, 2], [3, 4], [4, 1]]), np.array([[3, 4], [4, 3], [3, 1]])
    loss_mask = np.array([[True, True], [True, True], [True, False]])
    tgt_pad = ~loss_mask.T  # (B, T): the second target is padded at its last position
    if loss_on_padding:
        loss_mask = None

    def loss():
        return cross_entropy(model.forward(src, tgt_in, src_pad, tgt_pad)[0], tgt_out, loss_mask)[0]

    logits, cache = model.forward(src, tgt_in, src_pad, tgt_pad)
    assert logits.shape == (3, 2, 5)
    grads = model.backward(cross_entropy(logits, tgt_out, loss_mask)[1], cache)
    check_grads(loss, grads, model.params)
    assert len(cache.decoder.cross_weights) == 1
    assert np.all(cache.decoder.cross_weights[0][1, :, :, 1:] == 0)  # padding is never attended
    assert np.all(cache.decoder.weights[0][1, :, :, 2] == 0)  # nor is target padding


@pytest.mark.parametrize("padded", [False, True])
def test_decoder_only_backward_matches_finite_differences(padded):
    rng = np.random.default_rng(7)
    model = engine.DecoderOnlyTransformer(DecoderOnlyConfig(vocab=5, d_model=4, nhead=2, num_layers=2,
                                                            dim_feedforward=6, max_len=8), seed=1)
    randomize(model, rng)
    ids, targets = rng.integers(0, 5, (4, 2)), rng.integers(0, 5, (4, 2))
    # the second sequence padded at its last two positions; the loss counts them too
    pad = np.array([[False] * 4, [False, False, True, True]]) if padded else None

    def loss():
        return cross_entropy(model.forward(ids, pad)[0], targets)[0]

    logits, cache = model.forward(ids, pad)
    grads = model.backward(cross_entropy(logits, targets)[1], cache)
    check_grads(loss, grads, model.params)
    assert all(np.all(np.triu(w, 1) == 0) for w in cache.weights)  # causal
    if padded:
        assert all(np.all(w[1, ..., 2:] == 0) for w in cache.weights)  # padding is never attended


def test_decoder_only_is_causal():
    model = engine.DecoderOnlyTransformer(DecoderOnlyConfig(vocab=7), seed=0)
    a = np.array([[1], [2], [3], [4]])
    b = a.copy()
    b[3] = 6  # change only the last token
    np.testing.assert_allclose(model.forward(a)[0][:3], model.forward(b)[0][:3], rtol=1e-12)


def test_next_token_log_probs_agree_with_forward():
    model = tiny_transformer(seed=3)
    src = np.array([[4], [5], [4]])
    prefix = np.array([[2, 2], [3, 4]])  # two hypotheses for one source
    lp = model.next_token_log_probs(src)(prefix)
    for n in range(2):
        logits, _ = model.forward(src, prefix[:, n:n + 1])
        expected = logits[-1, 0] - np.log(np.exp(logits[-1, 0]).sum())
        np.testing.assert_allclose(lp[n], expected, rtol=1e-10)


def test_state_dict_round_trip():
    a, b = tiny_transformer(seed=1), tiny_transformer(seed=2)
    assert "encoder.layers.0.self_attn.in_proj_weight" in a.state_dict()
    assert {"encoder.norm.weight", "decoder.norm.weight", "lm_head.weight"} <= a.state_dict().keys()
    b.load_state_dict(a.state_dict())
    src, tgt = np.array([[4], [5]]), np.array([[2], [3]])
    np.testing.assert_array_equal(a.forward(src, tgt)[0], b.forward(src, tgt)[0])


def test_decoder_only_next_token_log_probs_continue_the_prompt():
    from engine.decode import greedy_decode
    model = engine.DecoderOnlyTransformer(DecoderOnlyConfig(vocab=7, max_len=16), seed=2)
    prompt = np.array([[4], [5], [6]])  # (P, 1)
    lp = model.next_token_log_probs(prompt)
    prefix = np.array([[2, 2], [4, 5]])  # two continuations of the one prompt
    out = lp(prefix)
    logits, _ = model.forward(np.concatenate([prompt, prefix[:, 1:]]))
    np.testing.assert_allclose(out[1], logits[-1, 0] - np.log(np.exp(logits[-1, 0]).sum()), rtol=1e-10)
    result = greedy_decode(lp, batch_size=1, max_len=5)
    assert result.tokens.shape[1] == 1 and 1 <= len(result.tokens) <= 5
