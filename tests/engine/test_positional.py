"""Sinusoidal positional encoding, as in the paper."""
import math

import numpy as np
import pytest

import engine


@pytest.mark.parametrize("d_model", [4, 7, 64])
def test_matches_the_paper_formula(d_model):
    pe = engine.positional_encoding(50, d_model)
    assert pe.shape == (50, d_model) and pe.dtype == np.float64
    for pos in (0, 1, 13, 49):
        for i in range(d_model):
            angle = pos / 10000 ** (2 * (i // 2) / d_model)
            expected = math.sin(angle) if i % 2 == 0 else math.cos(angle)
            assert pe[pos, i] == pytest.approx(expected, abs=1e-12)


def test_position_zero_and_dtype():
    pe = engine.positional_encoding(3, 6, dtype=np.float32)
    assert pe.dtype == np.float32
    np.testing.assert_array_equal(pe[0], [0, 1, 0, 1, 0, 1])


def test_relative_positions_are_a_rotation():
    """PE(pos + k) is a fixed linear map of PE(pos): each (sin, cos) pair rotates by k·ω_i."""
    d, k = 8, 3
    pe = engine.positional_encoding(20, d)
    omega = 1 / 10000 ** (np.arange(0, d, 2) / d)
    for i, w in enumerate(omega):
        c, s = math.cos(k * w), math.sin(k * w)
        rot = np.array([[c, -s], [s, c]])  # [sin(a+b), cos(a+b)] = [sin a, cos a] @ rot
        np.testing.assert_allclose(pe[:-k, 2 * i:2 * i + 2] @ rot, pe[k:, 2 * i:2 * i + 2], atol=1e-12)
