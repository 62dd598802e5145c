"""The zoo: one registry gathered from the recipe modules, weights read without pickle,
loaded only when asked for; and one model retrained from its recipe reaches its bar."""
import importlib
import json
import pkgutil
import subprocess
import sys

import numpy as np
import pytest

from engine import recipes, zoo, zoo_entry


def test_every_recipe_module_declares_models_and_the_zoo_gathers_them_all():
    declared = []
    for info in pkgutil.iter_modules(recipes.__path__):
        declared += [m.name for m in getattr(importlib.import_module(f"engine.recipes.{info.name}"), "MODELS", [])]
    assert sorted(declared) == sorted(zoo.models())
    assert {"coreference", "induction", "gates", "bottleneck"} <= set(declared)
    for model in zoo.models().values():
        assert model.path.exists(), model.name
        assert model.path == zoo.WEIGHTS / f"{model.name}.npz"


def test_unknown_model_is_named_with_the_known_ones():
    with pytest.raises(KeyError, match="known: .*coreference"):
        zoo.get("no_such_model")


def test_weights_round_trip_without_pickle_in_float16_or_float32(tmp_path, monkeypatch):
    monkeypatch.setattr(zoo_entry, "WEIGHTS", tmp_path)
    params = {"a.weight": np.arange(6, dtype=np.float64).reshape(2, 3) / 7}
    for dtype in (np.float32, np.float16):
        path = zoo.save_weights("toy", params, {"seed": 3, "note": "ünïcode"}, dtype=dtype)
        arrays, meta = zoo.read_weights("toy")
        assert arrays["a.weight"].dtype == dtype and meta == {"seed": 3, "note": "ünïcode"}
        np.testing.assert_allclose(arrays["a.weight"], params["a.weight"], rtol=1e-3)
        with np.load(path, allow_pickle=False) as data:
            assert json.loads(str(data["meta"]))["seed"] == 3
    with pytest.raises(ValueError):
        zoo.save_weights("toy", {"meta": np.zeros(1)}, {})
    assert zoo.subset({"plain.x": 1, "attention.x": 2, "plainer.y": 3}, "plain") == {"x": 1}


def test_a_measurement_is_ok_only_on_the_right_side_of_its_bar():
    assert zoo.Measurement("m", 0.9, 0.9).ok and not zoo.Measurement("m", 0.89, 0.9).ok
    assert zoo.Measurement("m", 0.1, 0.2, "<=").ok and not zoo.Measurement("m", 0.3, 0.2, "<=").ok
    assert not zoo.Measurement("m", float("nan"), 0.0).ok


def test_importing_the_app_or_the_scenes_loads_no_zoo():
    code = ("import tutor.app, tutor.cli, tutor.scenes.registry, engine, engine.zoo, sys, json\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('engine.recipes'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out.splitlines()[-1]) == []


@pytest.mark.slow
def test_the_gates_model_retrained_from_its_recipe_reaches_its_bars():
    from engine.recipes import gates
    net, losses = gates.train_gates(seed=0)
    units = gates.memory_units(net)
    measurements, results = gates._measurements(net, units)
    assert all(m.ok for m in measurements), [m.describe() for m in measurements]
    shipped = gates.load_gates().meta["results"]
    assert results["accuracy"] == pytest.approx(shipped["accuracy"], abs=0.02)
