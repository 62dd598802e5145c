"""Layer normalization: statistics, γ and β, gradients."""
import numpy as np

import engine
from engine.gradcheck import numerical_grad, rel_error


def test_normalizes_the_last_axis_then_scales_and_shifts():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 2, 5)) * 4 + 7
    ln = engine.LayerNorm(5)
    y, cache = ln.forward(x)
    np.testing.assert_allclose(y.mean(-1), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(-1), 1, rtol=1e-4)  # eps = 1e-5
    assert cache.x is x and cache.y is y
    ln.params["weight"][:] = 2.0
    ln.params["bias"][:] = -1.0
    np.testing.assert_allclose(ln.forward(x)[0], 2 * y - 1, rtol=1e-12)
    assert ln.state_dict().keys() == {"weight", "bias"}


def test_constant_input_gives_beta_without_warnings():
    ln = engine.LayerNorm(4)
    ln.params["bias"][:] = 0.5
    y, _ = ln.forward(np.full((2, 4), 3.0))
    np.testing.assert_array_equal(y, 0.5)


def test_backward_matches_finite_differences():
    rng = np.random.default_rng(1)
    ln = engine.LayerNorm(6, eps=1e-3)
    ln.params["weight"][:] = rng.standard_normal(6)
    ln.params["bias"][:] = rng.standard_normal(6)
    x, w = rng.standard_normal((4, 3, 6)), rng.standard_normal((4, 3, 6))

    def loss():
        return float((ln.forward(x)[0] * w).sum())

    dx, grads = ln.backward(w, ln.forward(x)[1])
    assert rel_error(dx, numerical_grad(loss, x)) < 1e-7
    for name, p in ln.params.items():
        assert rel_error(grads[name], numerical_grad(loss, p)) < 1e-7, name
