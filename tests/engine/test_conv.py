"""The causal 1-D convolution: finite differences in float64, and PyTorch's Conv1d as the oracle."""
import numpy as np
import pytest

import engine
from engine.gradcheck import numerical_grad, rel_error

SHAPES = [(1, 1, 2, 3, 1), (1, 1, 3, 2, 4), (6, 2, 3, 4, 3), (5, 3, 2, 2, 7)]  # T, B, C_in, C_out, k


@pytest.mark.parametrize("T,B,C,O,k", SHAPES)
def test_every_gradient_matches_finite_differences(T, B, C, O, k):
    rng = np.random.default_rng(T * 10 + k)
    conv = engine.CausalConv1d(C, O, k, seed=k)
    x = rng.standard_normal((T, B, C))
    w = rng.standard_normal((T, B, O))

    def loss():
        return float((conv.forward(x)[0] * w).sum())

    y, cache = conv.forward(x)
    assert y.shape == (T, B, O)
    dx, grads = conv.backward(w, cache)
    assert grads.keys() == conv.state_dict().keys()
    assert rel_error(dx, numerical_grad(loss, x)) < 1e-7
    for name, p in conv.params.items():
        assert rel_error(grads[name], numerical_grad(loss, p)) < 1e-7, name


def test_an_output_reads_only_its_own_word_and_the_k_minus_1_before():
    conv = engine.CausalConv1d(2, 2, 3, seed=0)
    x = np.random.default_rng(0).standard_normal((8, 1, 2))
    base = conv.forward(x)[0]
    for j in range(8):
        bumped = x.copy()
        bumped[j] += 1.0
        changed = np.flatnonzero(np.abs(conv.forward(bumped)[0] - base).max(axis=(1, 2)) > 0)
        np.testing.assert_array_equal(changed, np.arange(j, min(j + 3, 8)))  # outputs j … j+k−1


def test_matches_torch_conv1d_padded_on_the_left():
    torch = pytest.importorskip("torch")
    T, B, C, O, k = 7, 3, 4, 5, 3
    torch.manual_seed(0)
    theirs = torch.nn.Conv1d(C, O, k, dtype=torch.float64)
    ours = engine.CausalConv1d(C, O, k)
    ours.load_state_dict({n: p.detach() for n, p in theirs.state_dict().items()})
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((T, B, C)), rng.standard_normal((T, B, O))

    xt = torch.tensor(x, requires_grad=True)
    yt = theirs(torch.nn.functional.pad(xt.permute(1, 2, 0), (k - 1, 0))).permute(2, 0, 1)  # (T, B, O)
    (yt * torch.tensor(w)).sum().backward()

    y, cache = ours.forward(x)
    dx, grads = ours.backward(w, cache)
    np.testing.assert_allclose(y, yt.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-10, atol=1e-12)
    for name, p in theirs.named_parameters():
        np.testing.assert_allclose(grads[name], p.grad.numpy(), rtol=1e-10, atol=1e-12, err_msg=name)
