"""Exercise generators: recall cards whose numbers the engine computes afresh.

This module only declares them (no NumPy), so lessons validate cheaply;
`generate` imports the generator module when a card is shown.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from tutor.params import Param


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
    ExerciseSpec("rnn_step", "One hidden unit after one RNN step from a non-zero h_(t−1), so W_hh enters.",
                 (Param("hidden", "int", 2, "hidden size", min=1, max=3),)),
    ExerciseSpec("gru_params", "Parameter count of a GRU layer for random sizes.", ()),
    ExerciseSpec("softmax_entry", "One entry of the softmax of a small random vector.", ()),
    ExerciseSpec("pe_value", "One sinusoidal positional-encoding value PE(pos, i).", ()),
    ExerciseSpec("qk_shape", "The shape of QKᵀ for n tokens and a given d_k.", ()),
    ExerciseSpec("grad_norm_after_k", "How a gradient norm scales after k steps back through W_hh.", ()),
    ExerciseSpec("attention_weight", "A scaled dot-product attention weight for tiny vectors.", ()),
    ExerciseSpec("layernorm_value", "One output of layer normalization for a short vector.", ()),
    ExerciseSpec("mha_params", "Parameter count of a multi-head attention layer.", ()),
    ExerciseSpec("receptive_field", "How many words a stack of 1-D convolutions can see.", ()),
    ExerciseSpec("attention_matrix_size", "Entries and bytes of the n×n attention matrix.", ()),
    ExerciseSpec("causal_visible", "How many positions a token may attend to under a causal mask.", ()),
    ExerciseSpec("beam_candidates", "How many candidates beam search scores at each step.", ()),
    ExerciseSpec("ngram_count", "Distinct words or bigrams of a short sentence.", ()),
    ExerciseSpec("tanh_slope", "The derivative of tanh at a given pre-activation.", ()),
    ExerciseSpec("clip_factor", "The factor gradient clipping multiplies a gradient by.", ()),
    ExerciseSpec("cross_entropy_value", "Cross-entropy loss of a next-token distribution.", ()),
]

EXERCISES: dict[str, ExerciseSpec] = {spec.id: spec for spec in _SPECS}
