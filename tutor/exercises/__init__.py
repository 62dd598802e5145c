"""Exercise generators: recall cards whose numbers the engine computes afresh.

This module only declares them (no NumPy), so lessons validate cheaply;
`generate` imports the generator's module when a card is shown:
generators.py (recurrent networks and before), attention.py, transformer.py.
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
    module: str = "generators"       # tutor.exercises.<module> defines <id>(seed, **params)

    def generate(self, params: dict[str, Any], seed: int) -> Exercise:
        module = importlib.import_module(f"tutor.exercises.{self.module}")
        values = {p.name: p.default for p in self.params} | params
        return getattr(module, self.id)(seed=seed, **values)


_SPECS = [
    ExerciseSpec("rnn_params", "Parameter count of a vanilla RNN layer for random sizes.", ()),
    ExerciseSpec("lstm_params", "Parameter count of an LSTM layer for random sizes.", ()),
    ExerciseSpec("rnn_step", "One hidden unit after one RNN step from a non-zero h_(t−1), so W_hh enters.",
                 (Param("hidden", "int", 2, "hidden size", min=1, max=3),)),
    ExerciseSpec("gru_params", "Parameter count of a GRU layer for random sizes.", ()),
    ExerciseSpec("softmax_entry", "One entry of the softmax of a small random vector.", (), "attention"),
    ExerciseSpec("pe_value", "One sinusoidal positional-encoding value PE(pos, i).", (), "transformer"),
    ExerciseSpec("qk_shape", "The shape of QKᵀ for n tokens and a given d_k.", (), "attention"),
    ExerciseSpec("grad_norm_after_k", "How a gradient norm scales after k steps back through W_hh.", ()),
    ExerciseSpec("attention_weight", "A scaled dot-product attention weight for tiny vectors.", (), "attention"),
    ExerciseSpec("layernorm_value", "One output of layer normalization for a short vector.", (), "transformer"),
    ExerciseSpec("mha_params", "Parameter count of a multi-head attention layer.", (), "transformer"),
    ExerciseSpec("receptive_field", "How many words a stack of 1-D convolutions can see.", ()),
    ExerciseSpec("attention_matrix_size", "Entries and bytes of the n×n attention matrix.", (), "attention"),
    ExerciseSpec("causal_visible", "How many positions a token may attend to under a causal mask.", (), "transformer"),
    ExerciseSpec("beam_candidates", "How many candidates beam search scores at each step.", (), "transformer"),
    ExerciseSpec("ngram_count", "Distinct words or bigrams of a short sentence.", ()),
    ExerciseSpec("bigram_prob", "An add-one smoothed bigram probability on a tiny corpus.", (), "formulas"),
    ExerciseSpec("rnn_step_cost", "Multiplications in one RNN step.", (), "counts"),
    ExerciseSpec("forget_decay", "What of an LSTM cell survives k steps of a constant forget gate.", (), "formulas"),
    ExerciseSpec("context_entry", "One number of an attention context vector Σ α_j·h_j.", (), "formulas"),
    ExerciseSpec("layer_cost", "Self-attention's per-layer cost n²·d against a recurrent layer's n·d².", (), "counts"),
    ExerciseSpec("head_weights", "Attention weights computed by a multi-head layer.", (), "counts"),
    ExerciseSpec("embedding_params", "Parameters of an embedding and output layer, tied or not.", (), "counts"),
    ExerciseSpec("ffn_params", "Parameters of a position-wise feed-forward network.", (), "counts"),
    ExerciseSpec("kv_cache_size", "Numbers held in a decoder's key–value cache.", (), "counts"),
    ExerciseSpec("warmup_lr", "The learning rate of the warm-up schedule at a given step.", (), "formulas"),
    ExerciseSpec("length_norm", "A beam hypothesis's length-normalized score.", (), "formulas"),
    ExerciseSpec("tanh_slope", "The derivative of tanh at a given pre-activation.", ()),
    ExerciseSpec("clip_factor", "The factor gradient clipping multiplies a gradient by.", ()),
    ExerciseSpec("cross_entropy_value", "Cross-entropy loss of a next-token distribution.", (), "transformer"),
    # each generator serves at most two lessons: these give the later lessons exercises of their own
    ExerciseSpec("lstm_cell", "One LSTM cell update c_t = f·c_(t−1) + i·g, gates from the engine.", ()),
    ExerciseSpec("rnn_memory", "Hidden states an RNN keeps for backpropagation through time.", ()),
    ExerciseSpec("pe_wavelength", "How many positions a sine–cosine pair of the encoding takes to repeat.", (),
                 "transformer"),
    ExerciseSpec("head_size", "Each head's width d_model / heads.", (), "transformer"),
    ExerciseSpec("bits_per_char", "Bits per character of a model on a few held-out characters.", (), "language"),
    ExerciseSpec("temperature_prob", "The top probability after sampling at a temperature.", (), "language"),
    ExerciseSpec("top_k_prob", "The top probability after top-k keeps the k most likely and renormalises.", (),
                 "language"),
    ExerciseSpec("masked_weight", "An attention weight when the causal mask hides the later positions.", (),
                 "transformer"),
]

EXERCISES: dict[str, ExerciseSpec] = {spec.id: spec for spec in _SPECS}
