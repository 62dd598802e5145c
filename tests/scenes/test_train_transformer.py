"""train_transformer: frames streamed from engine.recipes.toy_tasks.train_transformer's callback, live."""
import threading
import time

import numpy as np
import pytest

from engine.recipes.toy_tasks import attention_grid, eval_set, sequence_accuracy, train_transformer
from tutor.scenes import train_transformer as tt
from tutor.frames import Chart, Grid, Progress, Row
from tutor.scenes.registry import SCENES

from .test_attention_common import render_frame


def run(**params):
    return list(SCENES["train_transformer"].frames(params))


def test_frames_are_the_engines_run():
    task, steps, seed = "reverse", 12, 3
    frames = run(task=task, steps=steps, seed=seed)
    assert tt.chunk_size(steps) == 5
    assert [f.panels[0].done for f in frames] == [0, 1, 5, 10, 12]
    assert [f.final for f in frames] == [False] * 4 + [True]
    model, losses = train_transformer(task, steps, seed)
    progress, row = frames[-1].panels
    chart, grid = row.panels
    assert isinstance(progress, Progress) and isinstance(chart, Chart) and isinstance(grid, Grid)
    loss = next(s for s in chart.series if s.label == "loss")
    np.testing.assert_array_equal(loss.y, losses)
    np.testing.assert_array_equal(loss.x, np.arange(1, steps + 1))
    src, tgt = eval_set(task, tt.EVAL_N)
    ex_src, ex_tgt = tt.held_out_example(src, tgt)
    assert len(set(ex_src.tolist())) == 8 and list(ex_tgt) == list(ex_src[::-1])
    np.testing.assert_array_equal(grid.values, attention_grid(model, ex_src, ex_tgt))
    assert grid.shape == (9, 8) and grid.row_labels[-1] == "<eos>"
    assert grid.col_labels == tt.symbols(ex_src) and grid.row_labels[:8] == tt.symbols(ex_tgt)
    accuracy = sequence_accuracy(model, src, tgt)
    assert f"accuracy {accuracy:.1%} of {tt.EVAL_N}" in frames[-1].caption
    assert "anti-diagonal" in frames[-1].caption
    assert np.isnan(frames[0].panels[1].panels[1].values).all()  # before training: nothing to show
    for frame in frames:
        assert not frame.panels[1].panels[1].values.flags.writeable
        text = render_frame(frame)
        assert "training" in text and "loss" in text


def test_copy_reads_the_diagonal():
    frames = run(task="copy", steps=5, seed=0)
    assert "attention on the diagonal" in frames[-1].caption
    assert list(tt.expected_inputs("copy")) == list(range(8))
    assert list(tt.expected_inputs("reverse")) == list(range(7, -1, -1))


def test_frames_stream_before_training_ends_and_closing_stops_it():
    frames = SCENES["train_transformer"].frames({"task": "reverse", "steps": 3000, "seed": 0})
    start = time.perf_counter()
    first = next(frames)
    assert first.panels[0].done == 0 and not first.final and "reversed" in first.caption
    second = next(frames)
    assert second.panels[0].done == 1 and not second.final
    third = next(frames)
    assert third.panels[0].done == tt.chunk_size(3000) == tt.MAX_CHUNK
    assert time.perf_counter() - start < 5
    frames.close()
    assert not any(t.name == "train_transformer scene" for t in threading.enumerate())


def test_a_training_error_reaches_the_consumer():
    def broken(callback):
        raise RuntimeError("boom")
    with pytest.raises(RuntimeError, match="boom"):
        list(tt.stream(broken, lambda report, model: None))


def test_chunks():
    assert tt.chunk_size(50) == 5 and tt.chunk_size(400) == 20 and tt.chunk_size(3000) == tt.MAX_CHUNK


def test_frames_no_longer_wanted_stop_the_training_within_a_step():
    """The learner moved on while the scene trained (stopping): the generator returns and
    the trainer stops at its next step, without waiting for its next frame."""
    from tutor.scenes.stopping import stop_when

    steps_seen: list[int] = []
    wanted = threading.Event()
    wanted.set()

    def run(callback):
        def counting(report, model):
            steps_seen.append(report.step)
            return callback(report, model)
        return train_transformer("reverse", 3000, 0, counting)

    def on_step(report, model):   # one frame at the start, then none for a long while
        return "frame" if report.step == 1 else None

    with stop_when(lambda: not wanted.is_set()):
        frames = tt.stream(run, on_step)
        assert next(frames) == "frame"
        wanted.clear()
        start = time.perf_counter()
        assert list(frames) == []
    assert time.perf_counter() - start < 2
    assert len(steps_seen) < 3000
    assert not any(t.name == "train_transformer scene" for t in threading.enumerate())
