"""Engine edge cases through every scene: empty, one-token, very long and non-ASCII text,
and every number at the ends of its range (NaN and inf from extreme scales are data).

Every frame of every run must draw, at a wide and a narrow width, with the
same pure functions the widgets use. A sentence longer than the engine's cap
is cut with a message saying so; an empty one says there is nothing to show.
"""
from __future__ import annotations

import numpy as np
import pytest

from engine.tokens import MAX_TOKENS
from tutor.render.look import Look
from tutor.frames import Grid
from tutor.scenes.registry import SCENES
from tutor.show import flatten, render_panel

ONE = "cat"
LONG = ("a b " * 150)[:300]                  # the longest sentence a learner may type: 150 tokens
NON_ASCII = "Ünïcödé 漢字テスト مرحبا שלום 👩‍👩‍👧 e\u0301 ｔａｎｈ −1"
MARKUP = "[/] [@click=app.quit]x[/] [link=x]y"

# What a run costs grows with these: their top end is exercised at a smaller value.
COST_CAPS = {("train_long_dependency", "steps"): 100, ("train_transformer", "steps"): 100,
             ("attention_cost", "max_length"): 256, ("sequential_vs_parallel", "max_length"): 128,
             ("language_models", "steps"): 20}


def text_params(spec):
    return [p for p in spec.params if p.kind == "text"]


def extreme(spec, end: str) -> dict:
    values = {}
    for p in spec.params:
        if p.kind in ("int", "float"):
            value = p.min if end == "min" else COST_CAPS.get((spec.id, p.name), p.max)
            values[p.name] = int(value) if p.kind == "int" else float(value)
        elif p.kind == "bool":
            values[p.name] = end == "max"
        elif p.kind == "choice":
            values[p.name] = p.choices[0 if end == "min" else -1]
    return values


CASES = []
for spec in SCENES.values():
    if text_params(spec):
        CASES += [(spec.id, case) for case in ("empty", "one", "long", "non_ascii", "markup")]
    if any(p.kind in ("int", "float", "bool", "choice") for p in spec.params):
        CASES += [(spec.id, "min"), (spec.id, "max")]


def values_for(spec, case: str) -> dict:
    if case in ("min", "max"):
        return extreme(spec, case)
    text = {"empty": "", "one": ONE, "long": LONG, "non_ascii": NON_ASCII, "markup": MARKUP}[case]
    return {p.name: text for p in text_params(spec)}


def draw(frame) -> None:
    for panel in flatten(frame.panels):
        for width in (100, 40):
            lines = render_panel(panel, width, Look())
            assert isinstance(lines, list)
        if isinstance(panel, Grid):
            assert panel.values.ndim == 2 and panel.values.shape == (len(panel.row_labels), len(panel.col_labels))


def panel_text(frame) -> str:
    """Caption and every text the frame carries (titles, table cells, lines)."""
    parts = [frame.caption]
    for panel in flatten(frame.panels):
        parts.append(getattr(panel, "title", ""))
        for row in getattr(panel, "rows", ()):
            parts.extend(row)
        for line in getattr(panel, "lines", ()):
            parts.extend(text for text, _ in line)
    return " ".join(parts)


@pytest.mark.parametrize("scene, case", CASES, ids=[f"{s}-{c}" for s, c in CASES])
def test_scene_edge_case(scene, case):
    spec = SCENES[scene]
    values = spec.resolve(values_for(spec, case))
    for p in spec.params:
        p.check(values[p.name])              # the case itself is a value a learner may set
    with np.errstate(all="ignore"):          # NaN and inf are allowed as data: they must draw
        frames = list(spec.frames(values))
    assert frames, "no frames"
    for frame in frames:
        draw(frame)
    said = " ".join(panel_text(f) for f in frames)
    if case == "empty":
        assert "no words" in said.lower() or "type" in said.lower(), said[:300]
    if case == "long":                       # cut at the engine's cap, or a model's own shorter one
        assert "Only the first" in said or "File name too long" in said, said[:300]   # or a file path refused
    if case in ("min", "max"):
        return
    for frame in frames:
        for panel in flatten(frame.panels):
            if isinstance(panel, Grid):
                assert len(panel.col_labels) <= MAX_TOKENS + 1 and len(panel.row_labels) <= 4 * MAX_TOKENS


def extreme_panels():
    from tutor.frames import Bars, Chart, Series, Table

    values = np.array([[np.nan, np.inf, -np.inf, 1e308], [-1e308, 0.0, 5e-324, -0.0]])
    cols = ("w", "x", "y", "z")
    return {
        "grid, huge values": Grid("g", values, ("a", "b"), cols, -1.0, 1.0),
        "grid, infinite range": Grid("g", values, ("a", "b"), cols, -np.inf, np.inf),
        "grid, NaN range": Grid("g", values, ("a", "b"), cols, np.nan, np.nan),
        "grid, tiny range": Grid("g", np.array([[1.0, -1.0]]), ("a",), ("x", "y"), 0.0, 1e-300),
        "grid, huge values, sequential": Grid("g", values, ("a", "b"), cols, 0.0, 1.0, palette="sequential"),
        "bars, log": Bars("b", ("1", "2", "3", "4"), np.array([np.nan, np.inf, 1e300, 0.0]), 1e-3, 10.0, log=True),
        "bars, empty range": Bars("c", ("1", "2"), np.array([np.inf, -np.inf]), 0.0, 0.0),
        "bars, infinite range": Bars("c", ("1", "2"), np.array([1.0, 1e308]), -np.inf, np.inf),
        "chart, infinite range": Chart("c", (Series("s", np.array([0.0, 1.0, 2.0]), np.array([np.nan, np.inf, -1e300])),),
                                       (0.0, 2.0), (-np.inf, np.inf)),
        "chart, log": Chart("c", (Series("s", np.array([0.0, 1.0, 2.0]), np.array([0.0, -1.0, 1e308])),),
                            (0.0, 2.0), (1e-3, 1e308), log_y=True),
        "table": Table("t", ("a",), (("nan",), ("inf",))),
    }


@pytest.mark.parametrize("name", list(extreme_panels()))
@pytest.mark.parametrize("mono", [False, True], ids=["color", "mono"])
def test_extreme_values_are_drawn_as_data(name, mono):
    """Panels full of NaN, ±inf, huge numbers or degenerate ranges draw without raising."""
    panel = extreme_panels()[name]
    with np.errstate(all="ignore"):
        for width in (100, 20, 1):
            render_panel(panel, width, Look(mono=mono))
