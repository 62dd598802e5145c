"""Frames are immutable plain data: every NumPy array reachable in any frame of any scene is read-only.

tutor/scenes/frame.py promises it; a writable array in a frame could be
changed by whoever holds the frame (a widget, a later frame sharing it).
Every scene runs at its defaults, with the measuring and training scenes
made small so the walk stays quick, plus a few settings that draw other
panels (clipping, a narrow number format, the GRU's gates).
"""
import dataclasses

import numpy as np
import pytest

from tutor.frames import Frame
from tutor.scenes.registry import SCENES

SMALL = {
    "train_transformer": {"steps": 5},
    "train_long_dependency": {"steps": 50, "gap": 2},
    "attention_cost": {"max_length": 64},
    "sequential_vs_parallel": {"max_length": 32, "hidden": 8},
    "language_models": {"steps": 20, "size": "tiny", "context": 16},
    "sampling": {"length": 8},
}
MORE = [
    ("gradient_decay", {"clip": True, "dtype": "float16", "radius": 3.0, "length": 200, "seed": 2}),
    ("gates", {"cell": "gru"}),
    ("softmax_saturation", {"scaled": False, "max_dk": 64}),
    ("positional_encoding", {"view": "matrix"}),
]
CASES = [(scene, SMALL.get(scene, {})) for scene in SCENES] + MORE


def arrays_in(value, path="frame"):
    """(path, array) for every ndarray reachable through dataclass fields, tuples, lists and dicts."""
    if isinstance(value, np.ndarray):
        yield path, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from arrays_in(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, (tuple, list)):
        for i, item in enumerate(value):
            yield from arrays_in(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from arrays_in(item, f"{path}[{key!r}]")


def test_the_walk_finds_arrays_everywhere():
    from tutor.frames import Chart, Row, Series
    x = np.zeros(2)
    frame = Frame((Row((Chart("c", (Series("s", x, x[::-1]),), (0, 1), (0, 1)),)),))
    assert [p for p, _ in arrays_in(frame)] == ["frame.panels[0].panels[0].series[0].x",
                                                "frame.panels[0].panels[0].series[0].y"]


@pytest.mark.parametrize("scene,params", CASES, ids=[f"{s}-{i}" for i, (s, _) in enumerate(CASES)])
def test_every_array_in_every_frame_is_read_only(scene, params):
    frames = list(SCENES[scene].frames(params))
    assert frames
    writable = []
    for i, frame in enumerate(frames):
        assert isinstance(frame, Frame)
        writable += [f"frame {i}: {path}" for path, a in arrays_in(frame) if a.flags.writeable]
    assert not writable, f"{scene}: writable arrays in frames: {writable[:5]}"
