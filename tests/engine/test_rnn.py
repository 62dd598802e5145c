"""The vanilla RNN: recurrence by hand, shapes, determinism, gradients."""
import numpy as np
import pytest

import engine
from engine.gradcheck import numerical_grad, rel_error


def test_recurrence_matches_hand_computation():
    m = engine.RNN(2, 3, seed=4)
    W_ih, W_hh = m.params["weight_ih"], m.params["weight_hh"]
    b = m.params["bias_ih"] + m.params["bias_hh"]
    x = np.array([[[1.0, -2.0]], [[0.5, 0.25]]])  # (T=2, B=1, I=2)
    out, cache = m.forward(x)
    h1 = np.tanh(W_ih @ x[0, 0] + b)  # h0 = 0
    h2 = np.tanh(W_ih @ x[1, 0] + W_hh @ h1 + b)
    np.testing.assert_allclose(out[0, 0], h1, rtol=1e-12)
    np.testing.assert_allclose(out[1, 0], h2, rtol=1e-12)
    np.testing.assert_allclose(cache.pre[1, 0], np.arctanh(h2), rtol=1e-9)


def test_shapes_and_seed_determinism():
    x = np.random.default_rng(0).standard_normal((7, 3, 5))
    a, _ = engine.RNN(5, 4, seed=1).forward(x)
    b, _ = engine.RNN(5, 4, seed=1).forward(x)
    c, _ = engine.RNN(5, 4, seed=2).forward(x)
    assert a.shape == (7, 3, 4)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


@pytest.mark.parametrize("T,B,I,H", [(1, 1, 3, 4), (4, 3, 3, 4), (6, 2, 1, 5), (17, 2, 2, 3)])
def test_backward_matches_finite_differences(T, B, I, H):
    """The shapes of the LSTM and GRU checks, with a loss on the final state too."""
    rng = np.random.default_rng(T * 100 + B * 10 + H)
    m = engine.RNN(I, H, seed=T)
    x = rng.standard_normal((T, B, I))
    h0 = rng.standard_normal((B, H))
    w = rng.standard_normal((T, B, H))
    w_final = rng.standard_normal((B, H))  # weights of a loss on h_T, on top of out[-1]

    def loss():
        out, cache = m.forward(x, h0)
        return float((out * w).sum() + (cache.final * w_final).sum())

    dx, dh0, grads = m.backward(w, m.forward(x, h0)[1], d_final=w_final)
    assert rel_error(dx, numerical_grad(loss, x)) < 1e-7
    assert rel_error(dh0, numerical_grad(loss, h0)) < 1e-7
    assert grads.keys() == m.state_dict().keys()
    for name, p in m.params.items():
        assert rel_error(grads[name], numerical_grad(loss, p)) < 1e-7, name


def test_backward_of_the_final_state_alone():
    """d_output None: a loss on h_T only (an encoder's summary)."""
    rng = np.random.default_rng(3)
    m = engine.RNN(2, 3, seed=0)
    x = rng.standard_normal((5, 2, 2))
    w_final = rng.standard_normal((2, 3))

    def loss():
        return float((m.forward(x)[1].final * w_final).sum())

    dx, dh0, grads = m.backward(None, m.forward(x)[1], d_final=w_final)
    assert rel_error(dx, numerical_grad(loss, x)) < 1e-7
    assert rel_error(grads["weight_hh"], numerical_grad(loss, m.params["weight_hh"])) < 1e-7


def test_products_over_all_steps_in_blocks_equal_whole_products():
    """At T·B = 810 rows, x·Wᵀ + b and dx = da·W_ih run in several blocks of rows, the last one short."""
    from engine.rnn import _row_blocks, input_and_weight_grads, input_projection
    rng = np.random.default_rng(0)
    T, B, I, G = 45, 18, 32, 64
    x, W, b = rng.standard_normal((T, B, I)), rng.standard_normal((G, I)), rng.standard_normal(G)
    blocks = _row_blocks(T * B, I * G)
    assert len(blocks) > 2 and blocks[-1].stop > T * B  # several blocks, the last one partial
    np.testing.assert_allclose(input_projection(x, W, b), x @ W.T + b, rtol=1e-12, atol=1e-12)
    da, hs = rng.standard_normal((T, B, G)), rng.standard_normal((T, B, G))
    dx, _ = input_and_weight_grads(W, da, da, x, hs[0], hs)
    np.testing.assert_allclose(dx, da @ W, rtol=1e-12, atol=1e-12)
