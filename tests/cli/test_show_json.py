"""`tutor show SCENE --json`: the frame as strict JSON, on every scene of the registry."""
import dataclasses
import json
import math
import subprocess
import sys

import numpy as np
import pytest

import tutor.show as show
from tutor.frames import Chart, Grid, Row
from tutor.scenes.registry import SCENES


def same(obj, data, where="frame"):
    """data is obj as JSON: dataclasses as objects with a kind, arrays as nested lists, non-finite as null."""
    if dataclasses.is_dataclass(obj):
        assert data["kind"] == type(obj).__name__.lower(), where
        names = [f.name for f in dataclasses.fields(obj)]
        assert set(data) == {"kind", *names}, where
        for name in names:
            same(getattr(obj, name), data[name], f"{where}.{name}")
    elif isinstance(obj, np.ndarray):
        same(obj.tolist(), data, where)
    elif isinstance(obj, (list, tuple)):
        assert isinstance(data, list) and len(data) == len(obj), where
        for k, (o, d) in enumerate(zip(obj, data)):
            same(o, d, f"{where}[{k}]")
    elif isinstance(obj, (float, np.floating)) and not math.isfinite(obj):
        assert data is None, where
    elif isinstance(obj, np.generic):
        assert data == obj.item(), where
    else:
        assert data == obj, where


def shown_json(monkeypatch, capsys, args):
    """Run `tutor show ARGS --json` in-process; return (its JSON, the frames it computed)."""
    produced = []
    real = show.compute_frames

    def recording(spec, values):
        produced[:] = real(spec, values)
        return produced
    monkeypatch.setattr(show, "compute_frames", recording)
    assert show.run([*args, "--json"]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    return json.loads(out.out, parse_constant=lambda c: pytest.fail(f"non-strict JSON constant {c}")), produced


@pytest.mark.parametrize("scene", sorted(SCENES))
def test_every_scene_prints_its_last_frame_as_json(scene, monkeypatch, capsys):
    data, frames = shown_json(monkeypatch, capsys, [scene])
    spec = SCENES[scene]
    frame = frames[-1]
    assert (data["scene"], data["title"]) == (scene, spec.title)
    assert (data["frame"], data["frames"]) == (len(frames), len(frames))
    assert data["params"] == json.loads(json.dumps(spec.defaults()))
    assert data["caption"] == frame.caption
    same(frame.panels, data["panels"], scene)
    for panel in data["panels"]:
        assert panel["kind"] in ("grid", "bars", "chart", "table", "lines", "progress", "row")


def test_grids_keep_their_labels_and_cells_not_computed_are_null(monkeypatch, capsys):
    data, frames = shown_json(monkeypatch, capsys, ["self_attention", "--frame", "1", "--sentence", "the cat sat"])
    (grid,) = data["panels"]
    assert grid["kind"] == "grid" and grid["title"] == frames[0].panels[0].title
    assert grid["row_labels"] == grid["col_labels"] == ["the", "cat", "sat"]
    assert grid["values"][0] == pytest.approx(frames[0].panels[0].values[0].tolist())
    assert grid["values"][1] == grid["values"][2] == [None, None, None]
    assert data["frame"] == 1


def test_chart_series_have_label_x_y(monkeypatch, capsys):
    data, frames = shown_json(monkeypatch, capsys, ["tanh_chart"])
    charts = [p for p in frames[-1].panels if isinstance(p, Chart)]
    shown = [p for p in data["panels"] if p["kind"] == "chart"]
    assert charts and len(shown) == len(charts)
    for chart, d in zip(charts, shown):
        assert [s["label"] for s in d["series"]] == [s.label for s in chart.series]
        for s, ds in zip(chart.series, d["series"]):
            assert ds["x"] == pytest.approx(np.asarray(s.x).tolist()) and ds["y"] == pytest.approx(np.asarray(s.y).tolist())


def test_overflow_is_null_not_infinity(monkeypatch, capsys):
    data, frames = shown_json(monkeypatch, capsys, ["gradient_decay", "--dtype", "float16", "--radius", "3",
                                                    "--length", "200", "--seed", "2"])
    values = frames[-1].panels[0].values
    assert not np.isfinite(values).all()                     # the case worth testing: float16 overflowed
    assert data["panels"][0]["values"].count(None) == int((~np.isfinite(values)).sum())


def test_rows_nest_their_panels(monkeypatch, capsys):
    data, frames = shown_json(monkeypatch, capsys, ["multi_head", "--heads", "2", "--sentence", "a b c"])
    rows = [p for p in frames[-1].panels if isinstance(p, Row)]
    assert rows and data["panels"][0]["kind"] == "row"
    assert [g["kind"] for g in data["panels"][0]["panels"]] == ["grid"] * len(rows[0].panels)
    assert isinstance(rows[0].panels[0], Grid)


def test_json_from_the_command_line_is_only_json_on_stdout():
    result = subprocess.run([sys.executable, "-m", "tutor", "show", "rnn_unroll", "--json", "--hidden", "3",
                             "--sentence", "a [b] c"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["scene"] == "rnn_unroll" and data["params"]["hidden"] == 3
    assert data["panels"][0]["col_labels"] == ["a", "[", "b", "]", "c"]
    bad = subprocess.run([sys.executable, "-m", "tutor", "show", "rnn_unroll", "--json", "--hidden", "99"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stdout == "" and "hidden: must lie between" in bad.stderr
