"""Training scene: the streamed loss curves and accuracies are the engine trainer's own."""
import math

import numpy as np

from engine.recurrent_train import RecurrentNet, evaluate, train_on_task
from engine.tasks import RememberFirstTask
from tests.scenes.test_attention_common import render_frame
from tutor.scenes import train_long_dependency as tld
from tutor.frames import Chart, Progress, Table
from tutor.scenes.recurrent_common import LSTM_CHRONO
from tutor.scenes.registry import SCENES


def run(**values):
    return list(SCENES["train_long_dependency"].frames(values))


def test_streamed_curves_match_train_on_task():
    gap, steps, seed = 4, 12, 3
    frames = run(gap=gap, steps=steps, seed=seed)
    chunk = tld.chunk_size(steps)
    assert len(frames) == 1 + math.ceil(steps / chunk)
    assert [f.final for f in frames] == [False] * (len(frames) - 1) + [True]
    assert [f.panels[0].done for f in frames] == [0, 5, 10, 12]
    task = RememberFirstTask(gap=gap)
    chart = frames[-1].panels[1]
    assert isinstance(frames[-1].panels[0], Progress) and isinstance(chart, Chart)
    by_label = {s.label: s for s in chart.series}
    accuracies = []
    for kind, label in tld.KINDS:
        net = RecurrentNet(kind, len(task.vocab), tld.HIDDEN, seed=seed,
                           chrono=LSTM_CHRONO if kind == "lstm" else 0.0)
        losses = train_on_task(net, task, steps, batch_size=tld.BATCH, lr=tld.LR, clip=tld.CLIP, seed=seed)
        np.testing.assert_allclose(by_label[label].y, tld.running_mean(losses), rtol=1e-12)
        np.testing.assert_array_equal(by_label[label].x, np.arange(1, steps + 1))
        accuracies.append(evaluate(net, task, batch_size=tld.EVAL_SIZE))
    table = frames[-1].panels[2]
    assert isinstance(table, Table)
    assert [row[0] for row in table.rows] == ["RNN", "LSTM", "chance"]
    assert [row[2] for row in table.rows] == [f"{a:.1%}" for a in accuracies] + [f"{task.chance:.1%}"]
    assert f"RNN {accuracies[0]:.1%}" in frames[-1].caption


def test_running_mean():
    np.testing.assert_allclose(tld.running_mean([1.0, 3.0, 5.0], window=2), [1.0, 2.0, 4.0])
    assert tld.running_mean([]).shape == (0,)


def test_frames_stream_before_training_ends():
    frames = SCENES["train_long_dependency"].frames({"gap": 3, "steps": 2000})
    first = next(frames)  # no training yet: the generator yields before the first step
    assert first.panels[0].done == 0 and not first.final and "3 distractors" in first.caption
    second = next(frames)
    assert second.panels[0].done == tld.chunk_size(2000) == tld.MAX_CHUNK
    frames.close()


def test_frames_render():
    frames = run(gap=2, steps=6)
    for frame in (frames[0], frames[-1]):
        text = render_frame(frame, 80)
        assert "training" in text and "loss" in text
    assert "held-out accuracy" in render_frame(frames[-1], 80)


def test_frames_no_longer_wanted_end_before_the_next_chunk_is_trained(monkeypatch):
    """The learner moved on (stopping): no further chunk is trained, for either cell."""
    from tutor.scenes.stopping import stop_when

    trained = []
    real = tld.train_chunk
    monkeypatch.setattr(tld, "train_chunk", lambda *args: (trained.append(args[2]), real(*args))[1])
    wanted = [True]
    with stop_when(lambda: not wanted[0]):
        frames = SCENES["train_long_dependency"].frames({"gap": 3, "steps": 2000})
        next(frames)
        next(frames)
        chunks = len(trained)
        wanted[0] = False
        assert list(frames) == []
    assert chunks == 2 and len(trained) == chunks   # one chunk per cell, then none
