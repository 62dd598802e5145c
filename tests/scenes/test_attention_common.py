"""The shared attention path, and render_frame: every panel of a frame through the pure renderers."""
import numpy as np
from rich.segment import Segment

import engine
from engine.tokens import token_vectors
from tutor.render.bars import render_bars
from tutor.render.chart import render_chart
from tutor.render.grid import render_grid
from tutor.render.look import Look
from tutor.render.tables import render_lines, render_progress, render_table
from tutor.scenes import attention_common as ac
from tutor.frames import Bars, Chart, Frame, Grid, Lines, Progress, Row, Table

_RENDER = {Bars: render_bars, Chart: render_chart, Table: render_table, Lines: render_lines,
           Progress: render_progress}


def render_panel(panel, width: int, look: Look) -> list:
    if isinstance(panel, Row):
        each = max(width // max(len(panel.panels), 1) - 1, 10)
        return [line for p in panel.panels for line in render_panel(p, each, look)]
    if isinstance(panel, Grid):
        rows, cols = panel.shape
        lines = render_grid(panel, width, look, cursor=(rows - 1, cols - 1) if rows and cols else None)
        return lines + render_grid(panel, width, Look(mono=True))
    return _RENDER[type(panel)](panel, width, look)


def render_frame(frame: Frame, width: int = 80) -> str:
    """The frame as plain text, drawn by the same functions the widgets use (dark, light, mono)."""
    assert isinstance(frame, Frame) and isinstance(frame.caption, str)
    out = []
    for look in (Look(), Look(dark=False)):
        for panel in frame.panels:
            for line in render_panel(panel, width, look):
                assert all(isinstance(s, Segment) for s in line)
                out.append("".join(s.text for s in line))
    return "\n".join(out)


def assert_frozen(frame: Frame) -> None:
    """Every array in every grid is read-only."""
    for panel in frame.panels:
        for p in (panel.panels if isinstance(panel, Row) else (panel,)):
            if isinstance(p, Grid):
                assert not p.values.flags.writeable


def test_self_attention_is_the_engines_sdpa_on_seeded_projections():
    s = ac.read_sentence("The cat sat on the mat", seed=4)
    x = token_vectors(list(s.tokens), ac.D_MODEL, seed=4) + engine.positional_encoding(6, ac.D_MODEL)
    np.testing.assert_array_equal(s.X, x)
    out, cache = ac.self_attention(s.X, 8, seed=4)
    W = ac.projections(ac.D_MODEL, 8, 4)
    ref, ref_cache = engine.scaled_dot_product_attention(x @ W.W_q, x @ W.W_k, x @ W.W_v)
    np.testing.assert_array_equal(out, ref)
    np.testing.assert_array_equal(cache.weights, ref_cache.weights)
    assert ac.row_sum_error(cache.weights) < 1e-12


def test_sentence_without_positions_is_just_word_vectors():
    s = ac.read_sentence("dog bites man", seed=1, positions=False)
    np.testing.assert_array_equal(s.X, token_vectors(["dog", "bites", "man"], ac.D_MODEL, seed=1))


def test_empty_and_long_sentences():
    empty = ac.read_sentence("  ", seed=0)
    assert empty.tokens == () and empty.X.shape == (0, ac.D_MODEL) and "no words" in empty.note
    long = ac.read_sentence("w " * 100, seed=0)
    assert len(long.tokens) == engine.MAX_TOKENS and "Only the first" in long.note


def test_focus_row_prefers_a_pronoun_then_the_most_peaked_row():
    w = np.full((3, 3), 1 / 3)
    assert ac.focus_row(("the", "it", "x"), w) == 1
    w[2] = (0.1, 0.1, 0.8)
    assert ac.focus_row(("a", "b", "c"), w) == 2


def test_weights_grid_hides_rows_not_yet_computed():
    w = np.eye(3)
    grid = ac.weights_grid("w", w, ("a", "b", "c"), shown_rows=1, mark_row=0)
    assert np.isnan(grid.values[1:]).all() and grid.values[0, 0] == 1.0
    assert not grid.values.flags.writeable and w[1, 1] == 1.0


def test_lengths_double_and_end_at_the_maximum():
    assert ac.lengths(16, 100) == [16, 32, 64, 100]
    assert ac.lengths(16, 64) == [16, 32, 64]
    assert ac.lengths(32, 32) == [32]


MINE = ("sdpa_steps", "softmax_saturation", "self_attention", "permutation", "multi_head",
        "positional_encoding", "layer_norm", "causal_mask", "sequential_vs_parallel", "attention_cost")
TIMED = ("sequential_vs_parallel", "attention_cost")


def test_every_declared_param_extreme_runs():
    """Each numeric param at its declared min and max (timed scenes: min only), others at defaults."""
    from tutor.scenes.registry import SCENES
    for scene in MINE:
        spec = SCENES[scene]
        for p in spec.params:
            extremes = [p.min] + ([] if scene in TIMED else [p.max]) if p.kind in ("int", "float") else \
                list(p.choices) if p.kind == "choice" else [True, False] if p.kind == "bool" else []
            for value in extremes:
                value = int(value) if p.kind == "int" else value
                frames = list(spec.frames({p.name: value}))
                assert frames and frames[-1].final, (scene, p.name, value)
