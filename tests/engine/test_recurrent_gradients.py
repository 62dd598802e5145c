"""Finite differences in float64 for RNN, LSTM and GRU: every parameter, the input and the initial state.

One check for the three models: the loss weighs every step's output and the
final state (h_T, and c_T for the LSTM), so gradients flowing in through
either are checked; shapes include T = 1 and B = 1. Relative error < 1e-7.
"""
import numpy as np
import pytest

import engine
from engine.gradcheck import numerical_grad, rel_error

MODELS = [engine.RNN, engine.LSTM, engine.GRU]
SHAPES = [(1, 1, 3, 4), (4, 3, 3, 4), (6, 2, 1, 5), (17, 2, 2, 3)]  # T, B, I, H


def state(Model, parts: np.ndarray):
    """The model's state from (2, B, H) random parts: the pair (h, c) for the LSTM, else h."""
    return (parts[0], parts[1]) if Model is engine.LSTM else parts[0]


def parts(Model, s) -> tuple:
    """A state (or its gradient) as a tuple of arrays: (h, c) for the LSTM, else (h,)."""
    return s if Model is engine.LSTM else (s,)


@pytest.mark.parametrize("Model", MODELS, ids=lambda M: M.__name__)
@pytest.mark.parametrize("T,B,I,H", SHAPES)
def test_backward_matches_finite_differences(Model, T, B, I, H):
    rng = np.random.default_rng(T * 100 + B * 10 + H)
    m = Model(I, H, seed=T)
    x = rng.standard_normal((T, B, I))
    h0 = state(Model, rng.standard_normal((2, B, H)))
    w = rng.standard_normal((T, B, H))
    w_final = state(Model, rng.standard_normal((2, B, H)))  # weights of a loss on the final state

    def loss():
        out, cache = m.forward(x, h0)
        final = zip(parts(Model, cache.final), parts(Model, w_final))
        return float((out * w).sum() + sum((f * wf).sum() for f, wf in final))

    dx, dh0, grads = m.backward(w, m.forward(x, h0)[1], d_final=w_final)
    assert rel_error(dx, numerical_grad(loss, x)) < 1e-7
    for got, part in zip(parts(Model, dh0), parts(Model, h0)):
        assert rel_error(got, numerical_grad(loss, part)) < 1e-7     # h0, and c0 for the LSTM
    assert grads.keys() == m.state_dict().keys()
    for name, p in m.params.items():
        assert rel_error(grads[name], numerical_grad(loss, p)) < 1e-7, name


@pytest.mark.parametrize("Model,param", [(engine.RNN, "weight_hh"), (engine.LSTM, "weight_hh"),
                                         (engine.GRU, "bias_hh")], ids=["RNN", "LSTM", "GRU"])
def test_backward_of_the_final_state_alone(Model, param):
    """d_output None: a loss on the last state only (an encoder's summary; for the LSTM its cell)."""
    rng = np.random.default_rng(3)
    m = Model(2, 3, seed=0)
    x = rng.standard_normal((5, 2, 2))
    w = rng.standard_normal((2, 3))
    lstm = Model is engine.LSTM

    def loss():
        final = m.forward(x)[1].final
        return float(((final[1] if lstm else final) * w).sum())

    dx, _, grads = m.backward(None, m.forward(x)[1], d_final=(None, w) if lstm else w)
    assert rel_error(dx, numerical_grad(loss, x)) < 1e-7
    assert rel_error(grads[param], numerical_grad(loss, m.params[param])) < 1e-7


@pytest.mark.parametrize("Model", MODELS, ids=lambda M: M.__name__)
@pytest.mark.parametrize("T,B", [(1, 2), (6, 3)])  # fewer, and more, steps·sequences than table rows
def test_inputs_given_as_table_rows_read_like_the_rows_themselves(Model, T, B):
    """forward(x, tokens=(table, ids)) with x = table[ids] projects the table's rows once
    (when the steps outnumber them); the result is the forward of x itself, and backward's
    input gradient is the table's: x's gradient summed per row."""
    rng = np.random.default_rng(7)
    m = Model(3, 4, seed=1)
    table, ids = rng.standard_normal((5, 3)), rng.integers(0, 5, (T, B))
    x = table[ids]
    hs, cache = m.forward(x)
    hs_t, cache_t = m.forward(x, tokens=(table, ids))
    np.testing.assert_allclose(hs_t, hs, rtol=1e-13, atol=1e-14)
    d = rng.standard_normal(hs.shape)
    dx, _, grads = m.backward(d, cache)
    d_table, _, grads_t = m.backward(d, cache_t)
    expected = np.zeros_like(table)
    np.add.at(expected, ids.reshape(-1), dx.reshape(-1, 3))
    np.testing.assert_allclose(d_table, expected, rtol=1e-12, atol=1e-14)
    for k in grads:
        np.testing.assert_allclose(grads_t[k], grads[k], rtol=1e-12, atol=1e-14, err_msg=k)


@pytest.mark.parametrize("rows", [3, 40, 700])  # blocks of sorted ids holding one, a few, many ids
def test_per_row_sums_equal_a_scatter_add(rows):
    from engine.recurrent_projection import per_row_sums
    rng = np.random.default_rng(rows)
    ids, d = rng.integers(0, rows, 600), rng.standard_normal((600, 5))
    expected = np.zeros((rows, 5))
    np.add.at(expected, ids, d)
    np.testing.assert_allclose(per_row_sums(d, ids, rows), expected, rtol=1e-12, atol=1e-12)
