"""The LSTM: equations by hand and the trace it leaves (gradients: test_recurrent_gradients.py)."""
import numpy as np

import engine
from engine.functional import sigmoid


def test_one_step_matches_the_equations():
    m = engine.LSTM(2, 3, seed=4)
    p = m.params
    x = np.array([[[1.0, -2.0]]])  # (T=1, B=1, I=2)
    h0, c0 = np.array([[0.1, -0.2, 0.3]]), np.array([[0.5, 0.0, -1.0]])
    out, cache = m.forward(x, (h0, c0))
    a = p["weight_ih"] @ x[0, 0] + p["bias_ih"] + p["weight_hh"] @ h0[0] + p["bias_hh"]
    i, f, g, o = sigmoid(a[0:3]), sigmoid(a[3:6]), np.tanh(a[6:9]), sigmoid(a[9:12])
    c = f * c0[0] + i * g
    h = o * np.tanh(c)
    np.testing.assert_allclose(out[0, 0], h, rtol=1e-12)
    np.testing.assert_allclose(cache.cs[0, 0], c, rtol=1e-12)
    for name, want in zip("ifgo", (i, f, g, o)):
        np.testing.assert_allclose(getattr(cache, name)[0, 0], want, rtol=1e-12, err_msg=name)
    h_T, c_T = cache.final
    np.testing.assert_array_equal(h_T, out[-1])
    np.testing.assert_array_equal(c_T, cache.cs[-1])


def test_shapes_layout_and_seed_determinism():
    x = np.random.default_rng(0).standard_normal((7, 3, 5))
    m = engine.LSTM(5, 4, seed=1)
    assert {k: v.shape for k, v in m.state_dict().items()} == {
        "weight_ih": (16, 5), "weight_hh": (16, 4), "bias_ih": (16,), "bias_hh": (16,)}
    assert m.num_parameters() == 4 * 4 * (5 + 4 + 2)
    bound = 1 / np.sqrt(4)
    assert all(np.abs(v).max() <= bound for v in m.params.values())
    a, cache = m.forward(x)
    b, _ = engine.LSTM(5, 4, seed=1).forward(x)
    c, _ = engine.LSTM(5, 4, seed=2).forward(x)
    assert a.shape == cache.cs.shape == cache.i.shape == (7, 3, 4)
    assert cache.oif.shape == (7, 3, 12) and cache.g.shape == (7, 3, 4)  # (T, B, 3H): o, i, f
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_gates_lie_in_their_ranges():
    m = engine.LSTM(3, 8, seed=0)
    _, cache = m.forward(10 * np.random.default_rng(1).standard_normal((20, 2, 3)))
    for gate in (cache.i, cache.f, cache.o):
        assert ((gate >= 0) & (gate <= 1)).all()
    assert (np.abs(cache.g) <= 1).all()


def test_float32_stays_float32():
    m = engine.LSTM(3, 4, dtype=np.float32)
    x = np.ones((5, 2, 3), np.float32)
    out, cache = m.forward(x)
    dx, (dh0, dc0), grads = m.backward(np.ones_like(out), cache)
    assert out.dtype == cache.oif.dtype == cache.g.dtype == dx.dtype == dh0.dtype == np.float32
    assert all(g.dtype == np.float32 for g in grads.values())


def test_load_state_dict_round_trip_and_missing_state_defaults_to_zeros():
    a, b = engine.LSTM(3, 4, seed=0), engine.LSTM(3, 4, seed=9)
    b.load_state_dict(a.state_dict())
    x = np.random.default_rng(0).standard_normal((3, 2, 3))
    np.testing.assert_array_equal(a.forward(x)[0], b.forward(x)[0])
    zeros = np.zeros((2, 4))
    # h0 is the keyword, as for RNN and GRU; for the LSTM it is the pair (h0, c0)
    np.testing.assert_array_equal(a.forward(x)[0], a.forward(x, h0=(zeros, None))[0])
    np.testing.assert_array_equal(a.forward(x)[0], a.forward(x, h0=(None, zeros))[0])
    h, c = np.random.default_rng(1).standard_normal((2, 2, 4))
    np.testing.assert_array_equal(a.forward(x, (h, c))[0], a.forward(x, h0=(h, c))[0])
