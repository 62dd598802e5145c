"""The coreference model as the attention scenes show it: trained, or the same architecture untrained.

The zoo's coreference model (engine/recipes/coreference.py) is a two-layer
bidirectional attention-only Transformer trained to name what "it" refers to.
`model="trained"` loads the shipped weights; `model="untrained"` builds the
same architecture and vocabulary with random weights from the seed, so the
learner sees what training changed. Everything here reads the engine: the
weights, the word the model names, and the held-out hit rates stored in the
model's meta by its recipe (a test measures them again).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

import numpy as np

from engine.attention_only import AttentionOnlyTransformer
from engine.recipes.coreference import (Coreference, coreference_attention, load_coreference, resolve,
                                        untrained_coreference)
from engine.tokens import MAX_TOKENS, tokenize

MODELS = ("trained", "untrained")


@dataclass(frozen=True)
class Reading:
    """One sentence through one model."""
    coref: Coreference
    trained: bool
    tokens: tuple[str, ...]
    weights: np.ndarray            # (layers, heads, T, T)
    named: dict[int, str]          # pronoun index -> the word the model outputs there
    note: str                      # words cut or not in the vocabulary, or "" (an empty sentence says so)
    seed: int                      # the random weights' seed (untrained)

    @property
    def shown(self) -> np.ndarray:
        """(T, T): the layer and head the lesson shows."""
        return self.weights[self.coref.layer, self.coref.head]

    @property
    def architecture(self) -> str:
        c = self.coref.model.config
        return f"{c.num_layers}-layer, {c.nhead}-head model"

    def untrained_note(self) -> str:
        return f"Untrained: the same {self.architecture}, random weights (seed {self.seed})."

    @property
    def head_name(self) -> str:
        return f"layer {self.coref.layer + 1} · head {self.coref.head + 1}"


@cache
def _trained() -> Coreference:
    return load_coreference()


@cache
def _untrained(seed: int) -> Coreference:
    return untrained_coreference(seed)


@cache
def _untrained_heads(heads: int, seed: int) -> Coreference:
    """The untrained architecture with `heads` heads a layer, each as wide as the trained model's heads."""
    base = _untrained(seed)
    c = base.model.config
    if heads == c.nhead:
        return base
    config = replace(c, nhead=heads, d_model=heads * (c.d_model // c.nhead))
    return Coreference(AttentionOnlyTransformer(config, seed=seed), base.vocab, c.num_layers - 1, 0, {})


def model_for(model: str, seed: int, heads: int | None = None) -> Coreference:
    """The trained model, or the untrained architecture (with `heads` heads a layer when given)."""
    if model not in MODELS:
        raise ValueError(f"model must be one of {', '.join(MODELS)}, got {model!r}")
    if model == "trained":
        return _trained()
    return _untrained(seed) if heads is None else _untrained_heads(heads, seed)


def read(sentence: str, model: str, seed: int, heads: int | None = None) -> Reading:
    coref = model_for(model, seed, heads)
    words = tokenize(sentence)
    tokens, weights = coreference_attention(coref, sentence)
    notes = []
    if not words:
        notes.append("The sentence has no words yet: press e to type one.")
    elif len(words) > MAX_TOKENS:
        notes.append(f"Only the first {MAX_TOKENS} of {len(words)} tokens are shown.")
    unknown = list(dict.fromkeys(t for t, i in zip(tokens, coref.vocab.encode(tokens)) if i == 0))
    if unknown:
        listed = ", ".join(repr(w) for w in unknown[:4]) + (" …" if len(unknown) > 4 else "")
        notes.append(f"Not in the model's vocabulary, read as <unk>: {listed}.")
    return Reading(coref, model == "trained", tuple(tokens), weights, resolve(coref, sentence) if tokens else {},
                   " ".join(notes), seed)


def pronoun(tokens) -> int | None:
    """The last "it" of the sentence (the row worth reading), if any."""
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i].lower() == "it":
            return i
    return None


def held_out_rates(coref: Coreference) -> dict[str, float]:
    """{"mover, mover first": share, …}: the shown head's 'it' row on the referent, held-out sentences."""
    return dict(coref.meta["results"]["hit_rate"])


def training_line(coref: Coreference) -> str:
    """What the trained head does on held-out sentences, in one short sentence."""
    rates = held_out_rates(coref).values()
    n = coref.meta["eval"]["n"]
    return (f"on {n} held-out sentences its row of 'it' peaks at the referent "
            f"{min(rates):.0%}–{max(rates):.0%} of the time")


def held_out_share(coref: Coreference) -> str:
    """"99%–100% of 800 held-out sentences": how often the shown head's row of 'it' finds the referent."""
    rates = held_out_rates(coref).values()
    return f"{min(rates):.0%}–{max(rates):.0%} of {coref.meta['eval']['n']} held-out sentences"
