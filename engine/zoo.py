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

Imports and weights files
-------------------------
``engine.zoo_entry`` holds ZooModel, Measurement and the weights file I/O, and
a recipe module imports them from there:

    from ..zoo_entry import Measurement, ZooModel, read_weights, save_weights

never from this module, which imports the recipes (no import cycle). The
same names are re-exported here for the zoo's users. ``save_weights(name,
params, meta)`` writes the parameters (float32, or float16 with
``dtype=np.float16``; keys are the model's state_dict names) and ``meta``, a
JSON string: the config, the recipe, the data description, the seed and the
measured results. ``read_weights(name)`` reads them back with
``allow_pickle=False``; ``read_meta(name)`` reads only the meta.

Checking and retraining: ``python -m engine.pretrain --check`` / ``NAME``.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from .zoo_entry import (WEIGHTS, Measurement, ZooModel, read_meta, read_weights, save_weights,  # noqa: F401
                        subset, weights_path)

RECIPES = f"{__package__}.recipes"


@cache
def models() -> dict[str, ZooModel]:
    """Every shipped model by name, gathered from the MODELS lists of engine/recipes/*."""
    package = importlib.import_module(RECIPES)
    found: dict[str, ZooModel] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{RECIPES}.{info.name}")
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
