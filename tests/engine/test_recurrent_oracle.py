"""PyTorch as the oracle: same weights in, same outputs and gradients out (float64)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import engine  # noqa: E402
from engine.optim import SGD, Adam, clip_grad_norm  # noqa: E402

TOL = dict(rtol=1e-10, atol=1e-12)
SHAPES = [(1, 1, 3, 4), (5, 3, 4, 6), (9, 2, 1, 3)]  # T, B, I, H


def _np(t):
    return t.detach().numpy()


def _twins(name, I, H, seed):
    """An engine model and a torch module holding the same weights."""
    torch.manual_seed(seed)
    theirs = getattr(torch.nn, name)(I, H, dtype=torch.float64)
    ours = getattr(engine, name)(I, H, seed=seed)
    ours.load_state_dict({k.removesuffix("_l0"): v.detach() for k, v in theirs.state_dict().items()})
    return ours, theirs


def _leaf(a):
    return torch.tensor(a, requires_grad=True)


@pytest.mark.parametrize("name", ["RNN", "GRU", "LSTM"])
@pytest.mark.parametrize("T,B,I,H", SHAPES)
@pytest.mark.parametrize("with_state", [False, True])
def test_outputs_and_every_gradient_match_torch(name, T, B, I, H, with_state):
    rng = np.random.default_rng(T + B + I + H)
    ours, theirs = _twins(name, I, H, seed=T)
    lstm = name == "LSTM"
    x = rng.standard_normal((T, B, I))
    h0, c0 = rng.standard_normal((2, B, H))
    w, w_h, w_c = rng.standard_normal((T, B, H)), rng.standard_normal((B, H)), rng.standard_normal((B, H))

    x_t, h0_t, c0_t = _leaf(x), _leaf(h0[None]), _leaf(c0[None])
    if not with_state:
        out_t, final_t = theirs(x_t)
    else:
        out_t, final_t = theirs(x_t, (h0_t, c0_t) if lstm else h0_t)
    h_T_t = final_t[0] if lstm else final_t
    loss = (out_t * torch.tensor(w)).sum() + (h_T_t[0] * torch.tensor(w_h)).sum()
    if lstm:
        loss = loss + (final_t[1][0] * torch.tensor(w_c)).sum()
    loss.backward()

    state = ((h0, c0) if lstm else h0) if with_state else None
    out, cache = ours.forward(x, h0=state)  # by keyword: the issue names it h0 for all three models
    np.testing.assert_allclose(out, _np(out_t), **TOL)
    final = cache.final if lstm else (cache.final,)
    for a, b in zip(final, final_t if lstm else (final_t,)):
        np.testing.assert_allclose(a, _np(b)[0], **TOL)

    dx, d_state, grads = ours.backward(w, cache, d_final=(w_h, w_c) if lstm else w_h)
    np.testing.assert_allclose(dx, _np(x_t.grad), **TOL)
    if with_state:
        np.testing.assert_allclose(d_state[0] if lstm else d_state, _np(h0_t.grad)[0], **TOL)
        if lstm:
            np.testing.assert_allclose(d_state[1], _np(c0_t.grad)[0], **TOL)
    for name_t, p in theirs.named_parameters():
        np.testing.assert_allclose(grads[name_t.removesuffix("_l0")], _np(p.grad), **TOL, err_msg=name_t)


@pytest.mark.parametrize("name", ["RNN", "GRU", "LSTM"])
def test_init_has_torch_distribution_and_layout(name):
    ours, theirs = _twins(name, 5, 8, seed=0)
    fresh = getattr(engine, name)(5, 8, seed=0)
    for k, v in theirs.state_dict().items():
        assert fresh.params[k.removesuffix("_l0")].shape == tuple(v.shape)
    bound = 1 / np.sqrt(8)
    for v in fresh.params.values():
        assert np.abs(v).max() <= bound and np.abs(v).max() > 0.8 * bound


def test_linear_matches_torch():
    torch.manual_seed(0)
    theirs = torch.nn.Linear(4, 3, dtype=torch.float64)
    ours = engine.Linear(4, 3)
    ours.load_state_dict(theirs.state_dict())
    x = np.random.default_rng(0).standard_normal((5, 2, 4))
    w = np.random.default_rng(1).standard_normal((5, 2, 3))
    x_t = _leaf(x)
    y_t = theirs(x_t)
    (y_t * torch.tensor(w)).sum().backward()
    y, cache = ours.forward(x)
    dx, grads = ours.backward(w, cache)
    np.testing.assert_allclose(y, _np(y_t), **TOL)
    np.testing.assert_allclose(dx, _np(x_t.grad), **TOL)
    np.testing.assert_allclose(grads["weight"], _np(theirs.weight.grad), **TOL)
    np.testing.assert_allclose(grads["bias"], _np(theirs.bias.grad), **TOL)


@pytest.mark.parametrize("scale", [1.0, 1e4])
def test_cross_entropy_matches_torch_with_mask(scale):
    rng = np.random.default_rng(0)
    logits = scale * rng.standard_normal((6, 4, 7))
    targets = rng.integers(0, 7, (6, 4))
    mask = rng.random((6, 4)) < 0.6
    mask[0, 0] = True
    loss, d_logits = engine.cross_entropy(logits, targets, mask)
    logits_t = _leaf(logits)
    per_item = torch.nn.functional.cross_entropy(logits_t.reshape(-1, 7), torch.tensor(targets.reshape(-1)),
                                                 reduction="none")
    loss_t = (per_item * torch.tensor(mask.reshape(-1), dtype=torch.float64)).sum() / mask.sum()
    loss_t.backward()
    assert np.isfinite(loss)
    assert loss == pytest.approx(float(loss_t.detach()), rel=1e-12)
    np.testing.assert_allclose(d_logits, _np(logits_t.grad), **TOL)


def _quadratic_run(make_ours, make_theirs, steps=25):
    """Minimise ½‖A p - b‖² with both optimizers from the same start."""
    rng = np.random.default_rng(0)
    A, b = rng.standard_normal((6, 4)), rng.standard_normal(6)
    p0 = rng.standard_normal(4)
    params = {"p": p0.copy()}
    opt = make_ours(params)
    p_t = torch.tensor(p0.copy(), requires_grad=True)
    opt_t = make_theirs([p_t])
    for _ in range(steps):
        opt.step({"p": A.T @ (A @ params["p"] - b)})
        opt_t.zero_grad()
        (0.5 * ((torch.tensor(A) @ p_t - torch.tensor(b)) ** 2).sum()).backward()
        opt_t.step()
    np.testing.assert_allclose(params["p"], _np(p_t), **TOL)


def test_adam_matches_torch():
    _quadratic_run(lambda p: Adam(p, lr=0.05, betas=(0.8, 0.99), eps=1e-7),
                   lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.8, 0.99), eps=1e-7))


def test_sgd_matches_torch():
    _quadratic_run(lambda p: SGD(p, lr=0.02), lambda p: torch.optim.SGD(p, lr=0.02))


@pytest.mark.parametrize("max_norm", [0.1, 1.0, 100.0])
def test_clip_grad_norm_matches_torch(max_norm):
    rng = np.random.default_rng(0)
    grads = {"a": rng.standard_normal((3, 4)), "b": rng.standard_normal(5)}
    tensors = [torch.zeros(3, 4, dtype=torch.float64, requires_grad=True),
               torch.zeros(5, dtype=torch.float64, requires_grad=True)]
    for t, g in zip(tensors, grads.values()):
        t.grad = torch.tensor(g.copy())
    total = clip_grad_norm(grads, max_norm)
    total_t = torch.nn.utils.clip_grad_norm_(tensors, max_norm)
    assert total == pytest.approx(float(total_t), rel=1e-12)
    for t, g in zip(tensors, grads.values()):
        np.testing.assert_allclose(g, _np(t.grad), **TOL)
