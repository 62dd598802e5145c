"""The figures lessons 02, 15 and 16 quote from the shipped language models, computed by the engine.

Each function returns the exact text a lesson must contain; the tests look
it up in the lesson, so a retrained model or a changed corpus whose figures
differ fails until the lesson says what the models now do.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from engine.charlm import bits_per_char, unigram_bits
from engine.language_models import KINDS, LABELS, SIZES
from engine.lm_train import LMRecipe
from engine.recipes.language_models import RECIPES, shipped_corpus
from tutor.scenes import interpretable_cell as ic
from tutor.scenes.lm_states import next_distribution
from tutor.scenes.lm_weights import shipped_lm
from tutor.scenes.sampling import shown

SENTENCE_PREFIX = "The cat sat on the "


@lru_cache(maxsize=1)
def corpus():
    return shipped_corpus()


def vocab_size() -> int:
    return len(corpus().vocab)


def uniform_bits() -> str:
    return f"{math.log2(vocab_size()):.2f}"


def unigram() -> str:
    return f"{unigram_bits(corpus()):.2f}"


@lru_cache(maxsize=1)
def shipped_bits() -> dict[str, float]:
    """Held-out bits per character of each shipped model, measured again from its weights."""
    return {k: bits_per_char(shipped_lm(k).model, corpus().heldout, RECIPES[k].context) for k in KINDS}


def shipped_bits_text() -> str:
    bits = shipped_bits()
    return ", ".join(f"{LABELS[k]} {bits[k]:.2f}" for k in KINDS)


def race_steps() -> tuple[int, int]:
    """Steps that wait for each other reading one window: the recurrent chain, the Transformer's layers."""
    return LMRecipe().context, SIZES[LMRecipe().size]["transformer"][1]


def rnn_after_prefix() -> str:
    """The shipped RNN's three likeliest characters after the sentence's prefix, as the scene's caption says."""
    lm = shipped_lm("rnn")
    ids = np.array([lm.chars.index(c) for c in SENTENCE_PREFIX], dtype=np.int64)
    p = next_distribution(lm.model, ids)
    top = np.argsort(-p, kind="stable")[:3]
    return ", ".join(f"{shown(lm.chars[j])!r} {p[j]:.3f}" for j in top)


def rnn_space_after_prefix() -> float:
    lm = shipped_lm("rnn")
    ids = np.array([lm.chars.index(c) for c in SENTENCE_PREFIX], dtype=np.int64)
    return float(next_distribution(lm.model, ids)[lm.chars.index(" ")])


def line_cell(trained: bool = True):
    """The shipped (or untrained) LSTM's cell that best follows the position in the line."""
    return ic.finding("line", trained)
