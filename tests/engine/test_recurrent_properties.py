"""Properties of the recurrent models, for many random shapes and weights."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from engine.diagnostics import gradient_flow, set_spectral_radius
from engine.optim import clip_grad_norm, global_norm

MODELS = {"RNN": engine.RNN, "LSTM": engine.LSTM, "GRU": engine.GRU}

shapes = st.tuples(st.integers(1, 8), st.integers(1, 4), st.integers(1, 5), st.integers(1, 6))  # T, B, I, H
FAST = settings(max_examples=25, deadline=None)


def _state(name, B, H, rng):
    if name == "LSTM":
        return rng.standard_normal((B, H)), rng.standard_normal((B, H))
    return rng.standard_normal((B, H))


@FAST
@given(name=st.sampled_from(sorted(MODELS)), shape=shapes, seed=st.integers(0, 2**16))
def test_whole_sequence_equals_one_step_at_a_time(name, shape, seed):
    T, B, I, H = shape
    rng = np.random.default_rng(seed)
    m = MODELS[name](I, H, seed=seed)
    x = 2 * rng.standard_normal((T, B, I))
    state = _state(name, B, H, rng)
    whole, cache = m.forward(x, state)
    for t in range(T):
        out, step = m.forward(x[t:t + 1], state)
        np.testing.assert_allclose(out[0], whole[t], rtol=1e-12, atol=1e-14)
        state = step.final
    final = cache.final if name == "LSTM" else (cache.final,)
    for a, b in zip(final, state if name == "LSTM" else (state,)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


@FAST
@given(name=st.sampled_from(sorted(MODELS)), shape=shapes, seed=st.integers(0, 2**16))
def test_gradient_of_the_final_state_adds_to_the_last_output(name, shape, seed):
    """d_final = g acts exactly like adding g to d_output[-1] (h_T is the last output)."""
    T, B, I, H = shape
    rng = np.random.default_rng(seed)
    m = MODELS[name](I, H, seed=seed)
    _, cache = m.forward(rng.standard_normal((T, B, I)))
    d_out = rng.standard_normal((T, B, H))
    g = rng.standard_normal((B, H))
    a = m.backward(d_out, cache, d_final=(g, None) if name == "LSTM" else g)
    d_out[-1] += g
    b = m.backward(d_out, cache)
    np.testing.assert_allclose(a[0], b[0], rtol=1e-12, atol=1e-14)
    for k in a[2]:
        np.testing.assert_allclose(a[2][k], b[2][k], rtol=1e-12, atol=1e-14)


@FAST
@given(name=st.sampled_from(sorted(MODELS)), T=st.integers(2, 60), H=st.integers(1, 12),
       radius=st.floats(0.0, 1.0), scale=st.floats(0.0, 100.0), seed=st.integers(0, 2**16))
def test_gradient_norms_are_finite_for_spectral_radius_at_most_one(name, T, H, radius, scale, seed):
    m = MODELS[name](3, H, seed=seed)
    if radius == 0.0:
        m.params["weight_hh"][...] = 0.0
    else:
        set_spectral_radius(m, radius)
    x = scale * np.random.default_rng(seed).standard_normal((T, 2, 3))
    flow = gradient_flow(m, x, clip_norm=1.0)
    assert not flow.overflow
    assert np.isfinite(flow.norms).all() and np.isfinite(flow.jacobian_norms).all()
    assert np.isfinite(flow.clipped_norms).all()
    _, cache = m.forward(x)
    _, _, grads = m.backward(np.ones_like(cache.hs), cache)
    assert np.isfinite(global_norm(grads))


@FAST
@given(sizes=st.lists(st.integers(1, 5), min_size=1, max_size=4),
       max_norm=st.floats(1e-3, 10.0), gain=st.floats(1e-3, 1e3), seed=st.integers(0, 2**16))
def test_clipping_caps_the_global_norm_and_keeps_direction(sizes, max_norm, gain, seed):
    rng = np.random.default_rng(seed)
    grads = {f"p{k}": gain * rng.standard_normal(n) for k, n in enumerate(sizes)}
    before = {k: v.copy() for k, v in grads.items()}
    total = clip_grad_norm(grads, max_norm)
    assert total == pytest.approx(global_norm(before))
    if total <= max_norm:
        for k in grads:
            np.testing.assert_array_equal(grads[k], before[k])
    else:
        # torch's rule: scale by max_norm / (norm + 1e-6)
        assert global_norm(grads) == pytest.approx(max_norm * total / (total + 1e-6), rel=1e-12)
        assert global_norm(grads) <= max_norm
        for k in grads:
            np.testing.assert_allclose(grads[k] * total, before[k] * global_norm(grads), rtol=1e-9, atol=1e-12)


def test_clipping_leaves_non_finite_gradients_alone():
    grads = {"w": np.array([np.inf, 1.0])}
    assert clip_grad_norm(grads, 1.0) == np.inf
    np.testing.assert_array_equal(grads["w"], [np.inf, 1.0])
