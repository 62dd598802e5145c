"""language_models: the four models' race as frames, exactly the engine's events; bad texts refused in one line."""
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from engine.charlm import MAX_TEXT_BYTES, Corpus, load_corpus, unigram_bits
from engine.language_models import KINDS, LABELS, build_lm
from engine.lm_train import Checkpoint, LMRecipe, Step, train_live
from tutor.frames import Chart, Lines, Progress, Table
from tutor.scenes import language_models as lms
from tutor.scenes.registry import SCENES, SERVING

from .test_attention_common import render_frame

ROOT = Path(__file__).resolve().parents[2]
SMALL = dict(lr=0.003, size="tiny", context=16, steps=6, seed=1)


def run(**params):
    return list(SCENES["language_models"].frames(SMALL | params))


def test_defaults_are_the_engines_recipe():
    spec, recipe = SCENES["language_models"], LMRecipe()
    assert (spec.param("lr").default, spec.param("size").default, spec.param("context").default,
            spec.param("steps").default) == (recipe.lr, recipe.size, recipe.context, recipe.steps)


def test_frames_are_the_engines_race():
    frames = run()
    recipe = LMRecipe(steps=6, lr=0.003, size="tiny", context=16, seed=1)
    corpus = Corpus.from_text(load_corpus())
    events = list(train_live(KINDS, corpus, recipe))
    last = frames[-1]
    assert last.final and not any(f.final for f in frames[:-1]) and frames[0].step == 0
    progress, by_step, by_seconds, table, samples = last.panels
    assert isinstance(progress, Progress) and progress.done == progress.total == 6
    for chart in (by_step, by_seconds):
        assert isinstance(chart, Chart)
        assert [s.label for s in chart.series] == [f"unigram {unigram_bits(corpus):.2f}", *LABELS.values()]
    for kind in KINDS:
        losses = [e.loss for e in events if isinstance(e, Step) and e.kind == kind]
        series = next(s for s in by_step.series if s.label == LABELS[kind])
        np.testing.assert_allclose(series.y, losses, rtol=1e-6)        # same seed, same batches, same run
        np.testing.assert_array_equal(series.x, np.arange(1, 7))
    final = {e.kind: e for e in events if isinstance(e, Checkpoint) and e.step == 6}
    assert isinstance(table, Table) and [r[0] for r in table.rows] == list(LABELS.values())
    for row_, kind in zip(table.rows, KINDS):
        assert row_[1] == f"{build_lm(kind, len(corpus.vocab), 'tiny', 16).num_parameters():,}"
        assert row_[3] == f"{final[kind].heldout_bits:.2f}" and row_[4] == f"{2 ** final[kind].heldout_bits:.1f}"
    assert isinstance(samples, Lines) and len(samples.lines) == 4
    assert [line[0][0].strip() for line in samples.lines] == list(LABELS.values())
    assert samples.lines[0][1][0] == lms._visible(final["rnn"].sample)[:lms.SAMPLE_WIDTH]
    best = min(KINDS, key=lambda k: final[k].heldout_bits)
    assert table.highlight_row == KINDS.index(best)
    assert f"perplexity of the best, {LABELS[best]}: {2 ** final[best].heldout_bits:.1f}" in last.caption
    for frame in frames:
        text = render_frame(frame)
        assert "RNN" in text and "Transformer" in text and "\x1b" not in text


def test_closing_the_frames_stops_the_training():
    frames = SCENES["language_models"].frames(SMALL | {"steps": 5000})
    first = next(frames)
    assert first.panels[0].done == 0 and "unigram" in first.caption
    next(frames)
    start = time.perf_counter()
    frames.close()
    assert time.perf_counter() - start < 5
    time.sleep(0.3)
    assert not any(t.name == "train_transformer scene" and t.is_alive() for t in threading.enumerate())


def bad_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "binary.bin").write_bytes(bytes(range(256)) * 8)
    (tmp / "huge.txt").write_bytes(b"a" * (MAX_TEXT_BYTES + 1))
    (tmp / "latin1.txt").write_bytes("café ".encode("latin-1") * 400)
    (tmp / "short.txt").write_text("too short", encoding="utf-8")
    (tmp / "folder").mkdir()
    return {"empty": (tmp / "empty.txt", "empty.txt is empty"),
            "binary": (tmp / "binary.bin", "binary.bin looks binary"),
            "huge": (tmp / "huge.txt", "huge.txt is 5.0 MB; the limit is 5 MB"),
            "not utf-8": (tmp / "latin1.txt", "latin1.txt is not UTF-8"),
            "too short": (tmp / "short.txt", "short.txt has 9 characters"),
            "missing": (tmp / "nope.txt", "nope.txt: no such file"),
            "a folder": (tmp / "folder", "folder is a directory")}


def test_a_text_it_cannot_use_is_one_frame_with_one_line(tmp_path):
    for case, (path, message) in bad_files(tmp_path).items():
        frames = run(text=str(path))
        assert len(frames) == 1, case
        assert message in frames[0].caption and "\n" not in frames[0].caption, case
        assert lms.problem(str(path)).startswith(message.split(" ")[0]) and message in lms.problem(str(path))
    assert lms.problem("corpus") is None
    assert "type corpus" in run(text="  ")[0].caption


def tutor(*args, env=None):
    full = dict(os.environ, PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1", COLUMNS="100") | (env or {})
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True, env=full,
                          cwd=ROOT, timeout=300)


def test_show_trains_on_a_file_without_the_tui(tmp_path):
    own = tmp_path / "own.txt"
    own.write_text("the quick brown fox jumps over the lazy dog. " * 60, encoding="utf-8")
    result = tutor("show", "language_models", "--text", str(own), "--steps", "20", "--size", "tiny")
    assert result.returncode == 0, result.stderr
    for word in ("Four language models, one text", "after 20 steps on own.txt", "bits/char", "GRU", "Transformer"):
        assert word.lower() in result.stdout.lower(), word


@pytest.mark.parametrize("case", ["empty", "binary", "huge", "missing"])
def test_show_refuses_a_bad_file_in_one_line_with_exit_1(tmp_path, case):
    path, message = bad_files(tmp_path)[case]
    result = tutor("show", "language_models", "--text", str(path))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip() == f"tutor show: {lms.problem(str(path))}" and message in result.stderr


def test_a_served_tutor_reads_no_file(tmp_path, monkeypatch):
    own = tmp_path / "own.txt"
    own.write_text("some text of my own. " * 100, encoding="utf-8")
    assert lms.problem(str(own)) is None
    monkeypatch.setenv(SERVING, "1")
    assert lms.problem(str(own)) == "a served tutor reads no files: the shipped corpus is the text here"
    assert "reads no files" in list(lms.frames(**SMALL, text=str(own)))[0].caption
    assert lms.problem("corpus") is None


@pytest.mark.slow
def test_at_the_defaults_all_four_finish_within_90_seconds():
    start = time.perf_counter()
    frames = list(SCENES["language_models"].frames({}))
    assert frames[-1].final and time.perf_counter() - start <= 90
