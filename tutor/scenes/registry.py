"""Every scene's declaration: id, description and typed parameters.

Importing this module is cheap (no NumPy): `tutor check` validates lessons
against it. A scene's frames come from `frames(**params)` in its own module,
imported only when the scene runs.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .params import Param


@dataclass(frozen=True)
class SceneSpec:
    id: str
    title: str
    description: str
    params: tuple[Param, ...]
    module: str                      # tutor.scenes.<module> defines frames(**params)

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)

    def resolve(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Defaults overridden by the given (already typed) values."""
        values = self.defaults()
        values.update({k: v for k, v in given.items() if k in values})
        return values

    def frames(self, values: Mapping[str, Any]) -> Iterator:
        module = importlib.import_module(f"tutor.scenes.{self.module}")
        return module.frames(**self.resolve(values))


SENTENCE = "The cat sat on the mat"


def _sentence(default: str = SENTENCE) -> Param:
    return Param("sentence", "text", default, "sentence", max_length=300)


_SPECS = [
    SceneSpec(
        "rnn_unroll", "RNN unrolled over a sentence",
        "Hidden-state vectors fill in one time step at a time as a vanilla RNN reads the sentence.",
        (_sentence(),
         Param("hidden", "int", 8, "hidden size", min=2, max=32),
         Param("seed", "int", 0, "seed", min=0, max=999)),
        "rnn_unroll"),
]

SCENES: dict[str, SceneSpec] = {spec.id: spec for spec in _SPECS}
