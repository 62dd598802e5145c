"""The model zoo: every trained model the engine ships, where its weights live,
how it loads and how its phenomenon is checked.

Adding a model is ONE entry in ONE place
----------------------------------------
Each module of the package ``engine/recipes/`` declares a module-level list

    MODELS = [ZooModel(name=..., summary=..., load=..., measure=..., retrain=...)]

and the zoo collects them: ``models()`` imports every module of
``engine.recipes`` (found with pkgutil, in name order) and gathers their
MODELS. So a new model in an existing recipe module is one more ZooModel in
its MODELS; a new family is a new module ``engine/recipes/<family>.py`` with
its own MODELS — nothing else to register. Names must be unique (checked).

A ZooModel
----------
- ``name``: also the weights file stem, ``engine/weights/<name>.npz``.
- ``summary``: one line, for ``python -m engine.pretrain --list``.
- ``load(dtype=np.float64)``: the shipped model, built from the file (what
  it returns is the recipe's to document: a model, or a tuple such as
  (model, phrases, meta)). Nothing is read before it is called: the zoo, the
  recipes and the weights load lazily, so importing ``tutor`` loads none of them.
- ``measure()``: loads the shipped weights, measures the model's phenomenon on
  held-out data and returns a list of ``Measurement`` (each a metric, its
  value and its bar). It never writes anything.
- ``retrain()``: trains the model from its recipe (one core, at most about two
  minutes), writes ``engine/weights/<name>.npz`` with ``save_weights`` and
  returns the meta it wrote. Only ``python -m engine.pretrain NAME`` calls it.

Weights files
-------------
``save_weights(name, params, meta)`` writes the parameters (float32, or
float16 with ``dtype=np.float16``; keys are the model's state_dict names) and
``meta``, a JSON string: the config, the recipe, the data description, the
seed and the measured results. ``read_weights(name)`` reads them back with
``allow_pickle=False``; ``read_meta(name)`` reads only the meta.
"""
from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

WEIGHTS = Path(__file__).parent / "weights"


@dataclass(frozen=True)
class Measurement:
    """One measured figure and its bar: ok when `value op bar` (op ">=" or "<=")."""
    metric: str
    value: float
    bar: float
    op: str = ">="

    @property
    def ok(self) -> bool:
        if not np.isfinite(self.value):
            return False
        return self.value >= self.bar if self.op == ">=" else self.value <= self.bar

    def describe(self) -> str:
        return f"{self.metric} {self.value:.3f} (bar {self.op} {self.bar:g})"


@dataclass(frozen=True)
class ZooModel:
    name: str
    summary: str
    load: Callable[..., object]
    measure: Callable[[], list[Measurement]]
    retrain: Callable[[], dict]

    @property
    def path(self) -> Path:
        return weights_path(self.name)


def weights_path(name: str) -> Path:
    return WEIGHTS / f"{name}.npz"


@cache
def models() -> dict[str, ZooModel]:
    """Every shipped model by name, gathered from the MODELS lists of engine/recipes/*."""
    from . import recipes
    found: dict[str, ZooModel] = {}
    for info in sorted(pkgutil.iter_modules(recipes.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{recipes.__name__}.{info.name}")
        for model in getattr(module, "MODELS", ()):
            if model.name in found:
                raise ValueError(f"two zoo models are called {model.name!r}")
            found[model.name] = model
    return found


def get(name: str) -> ZooModel:
    try:
        return models()[name]
    except KeyError:
        raise KeyError(f"no zoo model called {name!r}; known: {', '.join(models())}") from None


def save_weights(name: str, params: Mapping[str, np.ndarray], meta: dict, dtype=np.float32) -> Path:
    """Write engine/weights/<name>.npz: the parameters (cast to dtype) and the JSON meta."""
    WEIGHTS.mkdir(exist_ok=True)
    path = weights_path(name)
    arrays = {key: np.asarray(p).astype(dtype) for key, p in params.items()}
    if "meta" in arrays:
        raise ValueError("a parameter may not be called 'meta'")
    np.savez_compressed(path, meta=np.array(json.dumps(meta, sort_keys=True)), **arrays)
    return path


def read_weights(name: str) -> tuple[dict[str, np.ndarray], dict]:
    """(parameters, meta) of engine/weights/<name>.npz, read without pickle."""
    with np.load(weights_path(name), allow_pickle=False) as data:
        return {k: data[k] for k in data.files if k != "meta"}, json.loads(str(data["meta"]))


def read_meta(name: str) -> dict:
    with np.load(weights_path(name), allow_pickle=False) as data:
        return json.loads(str(data["meta"]))


def subset(params: Mapping[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    """The arrays under `prefix.` with the prefix taken off (one file holding two models)."""
    head = prefix + "."
    return {k[len(head):]: v for k, v in params.items() if k.startswith(head)}
