"""Measures: one number a scene computes, for numeric predictions.

A lesson's ```predict block with `kind: number` names a measure here. The
lesson asks the learner for the number before the scene runs, then grades
the guess against the measure computed by the engine for the scene's
current controls, and the scene shows the truth. Each measure belongs to
one scene (`tutor check` refuses it on another scene's step) and reads that
scene's resolved parameters, through the scene's own `run`, so the number is
the one the scene draws.

Declaring a measure is cheap (no NumPy): the function imports its scene
module only when it is called.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Values = Mapping[str, Any]


@dataclass(frozen=True)
class MeasureSpec:
    id: str                           # "<scene id>.<name>"
    description: str                  # what the number is, shown beside the truth
    compute: Callable[[Values], float]

    @property
    def scene(self) -> str:
        return self.id.split(".", 1)[0]


def _longest_scores(v: Values) -> float:
    import numpy as np

    import engine

    from .attention_common import lengths
    from .sequential_vs_parallel import DTYPE, FIRST

    n = lengths(FIRST, v["max_length"])[-1]                  # the scene's longest length
    x = np.zeros((n, 1), dtype=DTYPE)
    return float(engine.scaled_dot_product_attention(x, x, x)[1].scores.size)


def _receptive_field(v: Values) -> float:
    from engine.tokens import token_vectors

    from .cnn_receptive_field import CHANNELS, choose_position, influence, make_layers
    from .sentence import sentence_tokens

    tokens, _ = sentence_tokens(v["sentence"])
    if not tokens:
        raise ValueError("the sentence has no words")
    p, _ = choose_position(v["position"], tokens)
    x = token_vectors(tokens, CHANNELS, seed=0)
    return float((influence(x, make_layers(v["layers"], v["kernel"], 0), p)[-1] > 0).sum())


def _rnn_states(v: Values) -> float:
    from .rnn_unroll import run

    _, _, hs = run(v["sentence"], v["hidden"], v["seed"])
    return float(hs.shape[0] * hs.shape[2])


def _gradient_reach(v: Values) -> float:
    from .gradient_decay import run

    flow = run(v["radius"], v["length"], v["clip"], v["clip_norm"], v["seed"], v["dtype"])
    norms = flow.clipped_norms if v["clip"] and flow.clipped_norms is not None else flow.norms
    return float(norms[0] / norms[-1])


def _first_gate_mean(v: Values) -> float:
    from .gates import run

    tokens, _, traces = run(v["sentence"], v["cell"], v["hidden"], v["seed"])
    if not tokens:
        raise ValueError("the sentence has no words")
    return float(traces[1].values.mean())         # the forget gate f (LSTM) or update gate z (GRU)


def _first_word_focus(v: Values) -> float:
    from .bahdanau_alignment import run

    _, tr, alpha, _ = run(v["phrase"])
    if tr is None:
        raise ValueError("the phrase has no words the model knows")
    return float(alpha[0].max())


def _largest_weight(v: Values) -> float:
    from .softmax_saturation import dks, measure

    largest = dks(v["max_dk"])[-1]
    scaled, unscaled = measure(largest, v["seed"], v["scaled"]).max_weight
    return scaled if v["scaled"] else unscaled


def _attention_weights(v: Values) -> float:
    from .self_attention import run

    return float(run(v["sentence"], v["model"], v["seed"]).shown.size)


def _all_head_weights(v: Values) -> float:
    from .multi_head import run

    reading, layer = run(v["sentence"], v["heads"], v["model"], v["seed"])
    return float(reading.weights[layer].size)


def _neighbour_similarity(v: Values) -> float:
    import engine

    from .positional_encoding import cosine_similarity

    if v["length"] < 2:
        raise ValueError("one position: nothing to compare")
    return float(cosine_similarity(engine.positional_encoding(v["length"], v["d_model"]))[0, 1])


def _active_units(v: Values) -> float:
    from .block_flow import run

    flow = run(v["sentence"], v["seed"])
    if not flow.tokens:
        raise ValueError("the sentence has no words")
    return float(flow.active[min(v["token"], len(flow.tokens)) - 1])


def _masked_cells(v: Values) -> float:
    import numpy as np

    from .causal_mask import run

    _, cache = run(v["sentence"], v["seed"])
    return float(np.count_nonzero(cache.weights == 0.0))


def _first_loss(v: Values) -> float:
    from .train_transformer import train_transformer

    losses: list[float] = []
    train_transformer(v["task"], 1, v["seed"], lambda report, model: losses.append(report.loss))
    return losses[0]


def _step_two_candidates(v: Values) -> float:
    from .beam_search import run

    _, result, _, vocab, _ = run(v["phrase"], v["beam"], v["alpha"])
    if result is None:
        raise ValueError("the phrase has no words the model knows")
    if not result.beams[0]:
        raise ValueError("every candidate ended at step 1: there is no step 2")
    return float(len(result.beams[0]) * len(vocab))     # each prefix kept at step 1, times every next token


_SPECS = [
    MeasureSpec("cnn_receptive_field.field", "words that can reach the chosen position after the last layer",
                _receptive_field),
    MeasureSpec("sequential_vs_parallel.scores", "scores one attention layer computes at the longest n: n × n",
                _longest_scores),
    MeasureSpec("rnn_unroll.states", "numbers in the grid of hidden states (words × hidden size)", _rnn_states),
    MeasureSpec("gradient_decay.reach", "‖∂L/∂h₁‖ / ‖∂L/∂h_T‖, the share of the gradient reaching the first step",
                _gradient_reach),
    MeasureSpec("gates.mean", "the mean of the forget gate f (LSTM) or update gate z (GRU) over the grid",
                _first_gate_mean),
    MeasureSpec("bahdanau_alignment.focus", "the largest weight in the first output word's row", _first_word_focus),
    MeasureSpec("softmax_saturation.largest", "the mean largest attention weight at the largest d_k",
                _largest_weight),
    MeasureSpec("self_attention.weights", "attention weights in the grid (tokens × tokens)", _attention_weights),
    MeasureSpec("multi_head.weights", "attention weights over all heads (heads × tokens × tokens)",
                _all_head_weights),
    MeasureSpec("positional_encoding.neighbours", "cos(PE₀, PE₁), the similarity of positions 0 and 1",
                _neighbour_similarity),
    MeasureSpec("block_flow.active", "hidden ReLU units of the feed-forward layer above 0 for the token",
                _active_units),
    MeasureSpec("causal_mask.masked", "cells the mask sets to weight 0", _masked_cells),
    MeasureSpec("train_transformer.first_loss", "the loss on the first training batch, before any update",
                _first_loss),
    MeasureSpec("beam_search.candidates", "candidates at step 2: kept prefixes × vocabulary",
                _step_two_candidates),
]

MEASURES: dict[str, MeasureSpec] = {spec.id: spec for spec in _SPECS}
