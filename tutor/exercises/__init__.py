"""Exercise generators: recall cards whose numbers the engine computes afresh.

This module only declares them (no NumPy), so lessons validate cheaply;
`generate` imports the generator module when a card is shown.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from tutor.scenes.params import Param


@dataclass(frozen=True)
class Exercise:
    """One instance of an exercise card."""
    question: str
    answer: float | str
    tolerance: float = 1e-3          # accept |given − answer| ≤ tolerance·max(1, |answer|)
    explain: str = ""


@dataclass(frozen=True)
class ExerciseSpec:
    id: str
    description: str
    params: tuple[Param, ...]

    def generate(self, params: dict[str, Any], seed: int) -> Exercise:
        module = importlib.import_module("tutor.exercises.generators")
        values = {p.name: p.default for p in self.params} | params
        return getattr(module, self.id)(seed=seed, **values)


_SPECS = [
    ExerciseSpec("rnn_params", "Parameter count of a vanilla RNN layer for random sizes.", ()),
    ExerciseSpec("lstm_params", "Parameter count of an LSTM layer for random sizes.", ()),
    ExerciseSpec("rnn_step", "One hidden unit after one RNN step, for a small random example.",
                 (Param("hidden", "int", 2, "hidden size", min=1, max=3),)),
]

EXERCISES: dict[str, ExerciseSpec] = {spec.id: spec for spec in _SPECS}
