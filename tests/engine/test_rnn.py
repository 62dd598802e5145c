"""The vanilla RNN: recurrence by hand, shapes, determinism (gradients: test_recurrent_gradients.py)."""
import numpy as np

import engine


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


def test_products_over_all_steps_in_blocks_equal_whole_products():
    """At T·B = 810 rows, x·Wᵀ + b and dx = da·W_ih run in several blocks of rows, the last one short."""
    from engine.recurrent_projection import _row_blocks, input_and_weight_grads, input_projection
    rng = np.random.default_rng(0)
    T, B, I, G = 45, 18, 32, 64
    x, W, b = rng.standard_normal((T, B, I)), rng.standard_normal((G, I)), rng.standard_normal(G)
    blocks = _row_blocks(T * B, I * G)
    assert len(blocks) > 2 and blocks[-1].stop > T * B  # several blocks, the last one partial
    np.testing.assert_allclose(input_projection(x, W, b), x @ W.T + b, rtol=1e-12, atol=1e-12)
    da, hs = rng.standard_normal((T, B, G)), rng.standard_normal((T, B, G))
    dx, _ = input_and_weight_grads(W, da, da, x, hs[0], hs)
    np.testing.assert_allclose(dx, da @ W, rtol=1e-12, atol=1e-12)
