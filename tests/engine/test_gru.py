"""The GRU: equations by hand and the trace it leaves (gradients: test_recurrent_gradients.py)."""
import numpy as np

import engine
from engine.functional import sigmoid


def test_one_step_matches_the_equations():
    m = engine.GRU(2, 3, seed=4)
    p = m.params
    x = np.array([[[1.0, -2.0]]])  # (T=1, B=1, I=2)
    h0 = np.array([[0.1, -0.2, 0.3]])
    out, cache = m.forward(x, h0)
    gi = p["weight_ih"] @ x[0, 0] + p["bias_ih"]
    gh = p["weight_hh"] @ h0[0] + p["bias_hh"]
    r = sigmoid(gi[0:3] + gh[0:3])
    z = sigmoid(gi[3:6] + gh[3:6])
    n = np.tanh(gi[6:9] + r * gh[6:9])
    h = (1 - z) * n + z * h0[0]
    np.testing.assert_allclose(out[0, 0], h, rtol=1e-12)
    for name, want in zip("rzn", (r, z, n)):
        np.testing.assert_allclose(getattr(cache, name)[0, 0], want, rtol=1e-12, err_msg=name)
    np.testing.assert_allclose(cache.hn[0, 0], gh[6:9], rtol=1e-12)
    np.testing.assert_array_equal(cache.final, out[-1])


def test_shapes_layout_and_seed_determinism():
    x = np.random.default_rng(0).standard_normal((7, 3, 5))
    m = engine.GRU(5, 4, seed=1)
    assert {k: v.shape for k, v in m.state_dict().items()} == {
        "weight_ih": (12, 5), "weight_hh": (12, 4), "bias_ih": (12,), "bias_hh": (12,)}
    assert m.num_parameters() == 3 * 4 * (5 + 4 + 2)
    a, cache = m.forward(x)
    b, _ = engine.GRU(5, 4, seed=1).forward(x)
    c, _ = engine.GRU(5, 4, seed=2).forward(x)
    assert a.shape == cache.r.shape == cache.hn.shape == (7, 3, 4)
    assert cache.rz.shape == (7, 3, 8) and cache.n.shape == (7, 3, 4)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_update_gate_interpolates_between_old_state_and_candidate():
    m = engine.GRU(3, 6, seed=0)
    h0 = np.random.default_rng(2).standard_normal((2, 6))
    _, cache = m.forward(np.random.default_rng(1).standard_normal((1, 2, 3)), h0)
    z, n, h = cache.z[0], cache.n[0], cache.hs[0]
    assert ((h - n) * (h0 - n) >= -1e-15).all()  # h lies between n and h0
    assert (np.abs(h - n) <= np.abs(h0 - n) + 1e-15).all()


def test_float32_stays_float32():
    m = engine.GRU(3, 4, dtype=np.float32)
    x = np.ones((5, 2, 3), np.float32)
    out, cache = m.forward(x)
    dx, dh0, grads = m.backward(np.ones_like(out), cache)
    assert out.dtype == cache.rz.dtype == cache.n.dtype == dx.dtype == dh0.dtype == np.float32
    assert all(g.dtype == np.float32 for g in grads.values())


