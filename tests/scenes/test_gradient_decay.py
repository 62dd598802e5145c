"""Gradient decay: the bars are the engine's ‖∂L/∂h_t‖ for an RNN rescaled to the chosen radius."""
import numpy as np
import pytest

import engine
from engine.diagnostics import GradientFlow, gradient_flow, set_spectral_radius
from tests.scenes.test_attention_common import render_frame
from tutor.scenes import gradient_decay as gd
from tutor.frames import Bars
from tutor.scenes.recurrent_common import INPUT_SIZE, random_inputs, reveal_counts
from tutor.scenes.registry import SCENES


def run(**values):
    return list(SCENES["gradient_decay"].frames(values))


def engine_flow(radius, length, seed, clip_norm=None, dtype=np.float64):
    model = engine.RNN(INPUT_SIZE, gd.HIDDEN, seed=seed)
    set_spectral_radius(model, radius)
    return gradient_flow(model, random_inputs(length, seed), clip_norm=clip_norm, dtype=dtype)


@pytest.mark.parametrize("radius,length,seed", [(0.9, 40, 0), (1.5, 13, 3), (3.0, 200, 1)])
def test_bars_flow_back_with_the_engine_norms(radius, length, seed):
    frames = run(radius=radius, length=length, seed=seed)
    flow = engine_flow(radius, length, seed)
    counts = reveal_counts(length)
    assert len(frames) == len(counts) <= 40
    for frame, shown in zip(frames, counts):
        (bars,) = frame.panels
        assert isinstance(bars, Bars) and bars.log and len(bars.values) == length
        np.testing.assert_array_equal(bars.values[length - shown:], flow.norms[length - shown:])
        assert (bars.values[:length - shown] == 0).all()  # not reached yet: empty bars
        assert bars.highlight == length - shown
        assert bars.vmin <= np.min(flow.norms) and bars.vmax >= np.max(flow.norms)
    ratio = flow.norms[0] / flow.norms[-1]
    assert f"‖∂L/∂h_1‖/‖∂L/∂h_{length}‖ = {ratio:.3g}" in frames[-1].caption
    assert f"{flow.spectral_radius:.3g}" in frames[-1].caption
    assert not frames[-1].panels[0].values.flags.writeable


def test_small_radius_vanishes_large_radius_explodes():
    small = run(radius=0.5, length=40)[-1].caption
    large = run(radius=3.0, length=40, seed=2)[-1].caption  # seed 0 saturates tanh: no explosion
    assert "vanished" in small and "exploding" in large


def test_clipping_adds_the_clipped_walk():
    frames = run(radius=3.0, length=30, clip=True, clip_norm=2.0, seed=0)
    flow = engine_flow(3.0, 30, 0, clip_norm=2.0)
    plain, clipped = frames[-1].panels
    np.testing.assert_array_equal(plain.values, flow.norms)
    np.testing.assert_array_equal(clipped.values, flow.clipped_norms)
    assert clipped.values.max() <= 2.0 + 1e-12 and plain.values.max() > 2.0
    assert plain.vmin == clipped.vmin and plain.vmax == clipped.vmax
    assert "Clipped at 2" in frames[-1].caption


def test_overflow_is_drawn_and_said():
    norms = np.array([np.nan, np.inf, 1e300, 1e150, 1.0])
    flow = GradientFlow(norms, np.full(4, np.inf), 50.0, True)
    frames = list(gd.flow_frames(flow, None))
    assert "Overflow: 2 of 5" in frames[-1].caption and "inf (overflow)" not in frames[0].caption
    assert "NaN (overflow)" in frames[-1].caption
    text = render_frame(frames[-1])
    assert "!" in text and "overflow" in text


def test_shortest_sequence_and_rendering():
    frames = run(length=2)
    assert len(frames) == 2
    for frame in (frames[0], run()[20], run(clip=True)[-1], run(radius=3.0, length=200)[-1]):
        render_frame(frame)


def float16_params() -> dict:
    """What a learner reaches with the scene's own controls: radius and length at their top, format nudged
    twice from its default, every value checked by its declaration."""
    spec = SCENES["gradient_decay"]
    dtype = spec.param("dtype")
    assert dtype.default == "float64"
    fmt = dtype.nudge(dtype.nudge(dtype.default, 1), 1)
    values = {"radius": spec.param("radius").parse("3.0"), "length": spec.param("length").parse("200"),
              "seed": spec.param("seed").parse("2"), "dtype": dtype.parse(fmt)}
    assert values["radius"] == spec.param("radius").max and values["length"] == spec.param("length").max
    return values


def test_overflow_is_reached_through_the_controls_in_float16():
    values = float16_params()
    assert values["dtype"] == "float16"
    frames = run(**values)
    (bars,) = frames[-1].panels
    np.testing.assert_array_equal(bars.values, engine_flow(3.0, 200, 2, dtype=np.float16).norms)  # NaN = NaN
    wide = engine_flow(3.0, 200, 2).norms
    assert np.isfinite(wide).all() and wide.max() < 1e30   # float64 (and float32) never run out here
    bad = np.flatnonzero(~np.isfinite(bars.values))
    first = bad[-1]                                          # the first step walking back from T
    assert bad.size == first + 1                             # and every step before it
    assert np.isinf(bars.values[first])
    # an entry passed 65504 there; the float64 walk agrees on the size, to float16's rounding drift
    assert wide[first] > 65504 / 4 and (bars.values[first + 1:] < 65504 * 4).all()
    np.testing.assert_allclose(bars.values[first + 1:], wide[first + 1:], rtol=0.05)
    caption = frames[-1].caption
    assert f"float16 ran out of range at step {first + 1}, past its largest number 65504" in caption
    assert f"Overflow: {bad.size} of 200" in caption and "in float16" in bars.title
    text = render_frame(frames[-1])
    assert "!!" in text and "overflow: the value is inf or NaN" in text
    assert not bars.values.flags.writeable


def test_float32_holds_the_same_walk_and_default_is_float64():
    values = float16_params()
    wide = run(**{**values, "dtype": "float64"})[-1]
    assert "Overflow" not in run(**{**values, "dtype": "float32"})[-1].caption
    default = run(radius=3.0, length=200, seed=2)[-1]
    np.testing.assert_array_equal(default.panels[0].values, wide.panels[0].values)
    assert default.caption == wide.caption and "float" not in default.panels[0].title


def test_float16_underflows_a_vanishing_gradient_to_zero():
    frames = run(radius=0.5, length=40, dtype="float16")
    (bars,) = frames[-1].panels
    np.testing.assert_array_equal(bars.values, engine_flow(0.5, 40, 0, dtype=np.float16).norms)
    wide = engine_flow(0.5, 40, 0).norms
    zero = np.flatnonzero(bars.values == 0)
    assert zero.size and zero[-1] == zero.size - 1          # from one step back to step 1, all 0
    # every entry fell below float16's smallest number, 6e-8: the norm of 16 such is under 4 × 6e-8
    assert wide[zero[-1]] < 4 * 6e-8 and "Underflow: from step" in frames[-1].caption


def test_clipping_keeps_float16_in_range():
    frames = run(**float16_params(), clip=True, clip_norm=1.0)
    plain, clipped = frames[-1].panels
    assert not np.isfinite(plain.values).all() and np.isfinite(clipped.values).all()
    assert "stays within float16's range" in frames[-1].caption
