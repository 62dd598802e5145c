"""Gradient flow through time: Jacobians, norms, spectral radius, overflow, clipping."""
import numpy as np
import pytest

import engine
from engine.diagnostics import GradientFlow, gradient_flow, set_spectral_radius, spectral_radius
from engine.gradcheck import numerical_grad, rel_error

MODELS = [engine.RNN, engine.LSTM, engine.GRU]


def _state(model, B, rng):
    H = model.hidden_size
    if isinstance(model, engine.LSTM):
        return rng.standard_normal((B, H)), rng.standard_normal((B, H))
    return rng.standard_normal((B, H))


def _flat_state(model, state):
    """The state as one (B, S) array, h first, and a function back."""
    if isinstance(model, engine.LSTM):
        H = model.hidden_size
        return np.concatenate(state, axis=1), lambda s: (s[:, :H], s[:, H:])
    return state, lambda s: s


@pytest.mark.parametrize("Model", MODELS)
def test_step_jacobian_matches_finite_differences(Model):
    rng = np.random.default_rng(0)
    m = Model(2, 3, seed=1)
    x = rng.standard_normal((1, 2, 2))
    s0, unflat = _flat_state(m, _state(m, 2, rng))
    J = m.step_jacobian(m.forward(x, unflat(s0))[1], 0)  # (B, S, S) ∂s_0/∂s_{-1}
    S = s0.shape[1]
    for b in range(2):
        for k in range(S):
            def f():
                _, cache = m.forward(x, unflat(s0))
                final = cache.final
                s1 = np.concatenate(final, axis=1) if isinstance(final, tuple) else final
                return float(s1[b, k])
            row = numerical_grad(f, s0)[b]  # ∂s_1[b, k]/∂s_0[b, :]
            assert rel_error(J[b, k], row) < 1e-7


@pytest.mark.parametrize("Model", MODELS)
def test_jacobian_chain_equals_backward(Model):
    """Walking d_last back through the Jacobians gives what backward gives for dh0."""
    rng = np.random.default_rng(1)
    m = Model(3, 4, seed=2)
    x = rng.standard_normal((6, 2, 3))
    state = _state(m, 2, rng)
    d_last = rng.standard_normal((2, 4))
    _, cache = m.forward(x, state)
    d_final = (d_last, None) if isinstance(m, engine.LSTM) else d_last
    _, d_state, _ = m.backward(None, cache, d_final=d_final)
    g, _ = _flat_state(m, d_final if not isinstance(m, engine.LSTM) else (d_last, np.zeros_like(d_last)))
    for t in range(5, -1, -1):
        g = np.einsum("bi,bij->bj", g, m.step_jacobian(cache, t))
    want, _ = _flat_state(m, d_state)
    np.testing.assert_allclose(g, want, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("Model", MODELS)
def test_gradient_flow_shapes_and_the_last_step(Model):
    m = Model(3, 5, seed=0)
    x = np.random.default_rng(0).standard_normal((12, 1, 3))
    flow = gradient_flow(m, x)
    assert isinstance(flow, GradientFlow)
    assert flow.norms.shape == (12,) and flow.jacobian_norms.shape == (11,)
    assert flow.norms[-1] == pytest.approx(1.0)
    assert not flow.overflow and flow.clipped_norms is None
    assert (flow.cell_norms is not None) == isinstance(m, engine.LSTM)
    assert flow.spectral_radius == pytest.approx(spectral_radius(m))


@pytest.mark.parametrize("Model", MODELS)
def test_norms_agree_with_backward(Model):
    """norms[0] is ‖∂L/∂h_0‖, which backward also gives through the step-0 output."""
    rng = np.random.default_rng(4)
    m = Model(2, 4, seed=3)
    x = rng.standard_normal((7, 2, 2))
    d_last = rng.standard_normal((2, 4))
    flow = gradient_flow(m, x, d_last=d_last)
    _, cache = m.forward(x)
    # Rerun steps 1.. from the state after step 0: backward's dh0 is then ∂L/∂h_0.
    tail_state = (cache.hs[0], cache.cs[0]) if isinstance(m, engine.LSTM) else cache.hs[0]
    _, tail = m.forward(x[1:], tail_state)
    d_final = (d_last, None) if isinstance(m, engine.LSTM) else d_last
    _, d_state, _ = m.backward(None, tail, d_final=d_final)
    dh = d_state[0] if isinstance(m, engine.LSTM) else d_state
    assert flow.norms[0] == pytest.approx(np.linalg.norm(dh), rel=1e-10)
    assert flow.norms[-1] == pytest.approx(np.linalg.norm(d_last))


def test_vanilla_rnn_gradient_vanishes_with_small_spectral_radius():
    m = engine.RNN(3, 16, seed=0)
    set_spectral_radius(m, 0.5)
    flow = gradient_flow(m, np.random.default_rng(0).standard_normal((40, 1, 3)))
    assert flow.norms[0] < 1e-6 * flow.norms[-1]
    assert (flow.jacobian_norms < 1.5).all()


def test_lstm_cell_carries_gradient_when_the_forget_gate_is_open():
    m = engine.LSTM(3, 16, seed=0)
    m.params["bias_hh"][16:32] += 8.0  # f ≈ 1
    flow = gradient_flow(m, np.random.default_rng(0).standard_normal((40, 1, 3)))
    assert flow.cell_norms[0] > 0.1 * flow.cell_norms[-2]


@pytest.mark.parametrize("Model", MODELS)
def test_set_spectral_radius(Model):
    m = Model(3, 6, seed=0)
    for radius in (0.5, 1.0, 2.5):
        set_spectral_radius(m, radius)
        assert spectral_radius(m) == pytest.approx(radius)
        W = m.params["weight_hh"]
        for k in range(W.shape[0] // 6):  # every gate block, not just the largest
            assert np.abs(np.linalg.eigvals(W[6 * k:6 * (k + 1)])).max() == pytest.approx(radius)


def test_set_spectral_radius_keeps_the_array_optimizers_hold():
    m = engine.RNN(2, 4, seed=0)
    W = m.parameters()["weight_hh"]
    set_spectral_radius(m, 0.9)
    assert m.params["weight_hh"] is W and spectral_radius(m) == pytest.approx(0.9)


def _linear_rnn(H: int, radius: float) -> engine.RNN:
    """h stays 0 for zero inputs, so ∂h_t/∂h_{t-1} = W_hh exactly."""
    m = engine.RNN(2, H, seed=0)
    Q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((H, H)))
    m.params["weight_hh"][...] = radius * Q
    m.params["bias_ih"][...] = m.params["bias_hh"][...] = 0
    return m


def test_overflow_is_reported_not_raised():
    """Linear regime, W_hh of spectral norm 1e10: the gradient passes 1e308 in 31 steps."""
    m = _linear_rnn(3, 1e10)
    x = np.zeros((40, 1, 2))
    flow = gradient_flow(m, x, clip_norm=1.0)
    assert flow.overflow
    assert not np.isfinite(flow.norms[0])
    assert np.isfinite(flow.clipped_norms).all()
    assert (flow.clipped_norms[:-1] <= 1.0 + 1e-12).all()


def test_clipping_caps_every_step_and_changes_nothing_below_the_cap():
    m = _linear_rnn(8, 1.2)
    x = np.zeros((30, 1, 2))
    flow = gradient_flow(m, x, clip_norm=2.0)
    np.testing.assert_allclose(flow.norms, 1.2 ** np.arange(29, -1, -1.0))  # it explodes ...
    assert (flow.clipped_norms[:-1] <= 2.0 + 1e-12).all()  # ... and clipping holds it
    loose = gradient_flow(m, x, clip_norm=1e9)
    np.testing.assert_allclose(loose.clipped_norms, loose.norms)


@pytest.mark.parametrize("Model", MODELS)
def test_h_to_h_jacobian_norms(Model):
    """‖∂h_t/∂h_{t-1}‖ with c_{t-1} held fixed: the h block of the LSTM's (h, c) Jacobian."""
    rng = np.random.default_rng(5)
    m = Model(3, 4, seed=6)
    x = rng.standard_normal((5, 2, 3))
    flow = gradient_flow(m, x)
    _, cache = m.forward(x)
    for t in range(1, 5):
        J = m.step_jacobian(cache, t)[:, :4, :4]
        want = np.mean([np.linalg.norm(J[b], 2) for b in range(2)])
        assert flow.h_jacobian_norms[t - 1] == pytest.approx(want, rel=1e-10)
    if isinstance(m, engine.LSTM):  # the cell path is part of the full state's Jacobian only
        assert not np.allclose(flow.h_jacobian_norms, flow.jacobian_norms)
    else:
        np.testing.assert_array_equal(flow.h_jacobian_norms, flow.jacobian_norms)


def test_the_walk_back_runs_in_the_number_format_asked_for():
    m = engine.RNN(3, 16, seed=1)
    set_spectral_radius(m, 3.0)
    x = np.random.default_rng(1).standard_normal((200, 1, 3))
    wide = gradient_flow(m, x)
    assert not wide.overflow and wide.norms.max() < 1e30      # tanh′ caps the growth: float64 holds it
    single = gradient_flow(m, x, dtype=np.float32)
    np.testing.assert_allclose(single.norms, wide.norms, rtol=1e-4)
    half = gradient_flow(m, x, dtype=np.float16)
    assert half.overflow
    first = np.flatnonzero(~np.isfinite(half.norms))[-1]      # walking back from the loss
    assert np.isinf(half.norms[first]) and not np.isfinite(half.norms[:first]).any()
    assert wide.norms[first] > 65504 / 4                      # some entry of 16 passed 65504
    shrinking = engine.RNN(3, 16, seed=0)
    set_spectral_radius(shrinking, 0.5)
    tiny = gradient_flow(shrinking, x[:40], dtype=np.float16)
    assert tiny.norms[0] == 0.0 and gradient_flow(shrinking, x[:40]).norms[0] > 0   # underflow
