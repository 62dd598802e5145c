"""Permutation equivariance: shuffle the tokens and the attention matrix shuffles with them.

Without position codes, self-attention sees a set: for a permutation P,
A(P·X) = P·A(X)·Pᵀ. The scene computes both matrices, undoes the shuffle and
reports the largest difference; then repeats the check with positions added,
where it fails.
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

import engine

from .attention_common import D_MODEL, no_words, read_sentence, self_attention, untrained_note, weights_grid, with_note
from tutor.frames import Frame, Row

TITLE = "softmax(QKᵀ/√d_k)"


def shuffle_order(T: int, shuffle: int) -> np.ndarray:
    """A seeded permutation of range(T), redrawn a few times if it leaves every token in place."""
    rng = np.random.default_rng(shuffle)
    perm = rng.permutation(T)
    for _ in range(20):
        if T < 2 or not np.array_equal(perm, np.arange(T)):
            break
        perm = rng.permutation(T)
    return perm


def attention(X: np.ndarray, seed: int) -> np.ndarray:
    _, cache = self_attention(X, D_MODEL, seed)
    return cache.weights                                              # (T, T)


def undo_difference(A: np.ndarray, B: np.ndarray, perm: np.ndarray) -> float:
    """max |B − A[perm][:, perm]|: B is the shuffled sentence's matrix."""
    return float(np.max(np.abs(B - A[np.ix_(perm, perm)]))) if A.size else 0.0


def run(sentence: str, shuffle: int, seed: int):
    """tokens, note, perm, A (original), B (shuffled), and the same check with positions."""
    s = read_sentence(sentence, seed, positions=False)
    T = len(s.tokens)
    perm = shuffle_order(T, shuffle)
    A, B = attention(s.X, seed), attention(s.X[perm], seed)
    if T:
        pe = engine.positional_encoding(T, D_MODEL)
        with_pos = undo_difference(attention(s.X + pe, seed), attention(s.X[perm] + pe, seed), perm)
    else:
        with_pos = 0.0
    return s, perm, A, B, with_pos


def frames(sentence: str, shuffle: int, seed: int) -> Iterator[Frame]:
    s, perm, A, B, with_pos = run(sentence, shuffle, seed)
    tokens, T = s.tokens, len(s.tokens)
    if not T:
        yield no_words(s.note)
        return
    shuffled = tuple(tokens[p] for p in perm)
    original = weights_grid(f"original: {TITLE}", A, tokens)
    caption = (f"The attention matrix of {T} tokens, without position codes. "
               f"{untrained_note(seed, positions=False)}")
    yield Frame((Row((original,)),), with_note(caption, s.note), step=0)
    diff = undo_difference(A, B, perm)
    if T < 2:
        verdict = "One token: there is nothing to shuffle."
    else:
        order = " ".join(shuffled)
        verdict = (f"Shuffled (seed {shuffle}) to: {order}. Rows and columns moved with their tokens; "
                   f"after undoing the shuffle, max |difference| = {diff:.1e}: the same numbers.\n"
                   f"Self-attention without positions is permutation-equivariant: it cannot tell word order. "
                   f"With sinusoidal positions added the same check gives {with_pos:.2f}.")
    yield Frame((Row((original, weights_grid(f"shuffled: {TITLE}", B, shuffled))),),
                with_note(verdict, s.note), step=1)
