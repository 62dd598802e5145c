"""Self-attention matrix of a sentence, filled in row by row (one query at a time)."""
from __future__ import annotations

from collections.abc import Iterator

from .attention_common import (D_MODEL, PRONOUNS, describe_top, focus_row, no_words, read_sentence, row_sum_error,
                               self_attention, untrained_note, weights_grid, with_note)
from tutor.frames import Frame

TITLE = "softmax(QKᵀ/√d_k)"


def run(sentence: str, seed: int):
    """The sentence (word vectors + positions) and its (T, T) attention weights."""
    s = read_sentence(sentence, seed)
    _, cache = self_attention(s.X, D_MODEL, seed)
    return s, cache.weights


def frames(sentence: str, seed: int) -> Iterator[Frame]:
    s, weights = run(sentence, seed)
    tokens, T = s.tokens, len(s.tokens)
    if not T:
        yield no_words(s.note)
        return
    honest = untrained_note(seed)
    for t in range(T):
        caption = (f"Query {t + 1}/{T}: {tokens[t]!r} scores every key, softmax turns its row into weights "
                   f"summing to 1: {describe_top(weights[t], tokens)}.")
        yield Frame((weights_grid(TITLE, weights, tokens, shown_rows=t + 1, mark_row=t),),
                    with_note(caption, s.note), step=t)
    f = focus_row(tokens, weights)
    why = "a pronoun" if tokens[f].lower() in PRONOUNS else "the most peaked row"
    caption = (f"All {T} rows, each summing to 1 (±{row_sum_error(weights):.0e}). "
               f"Row {tokens[f]!r} ({why}) attends most to {describe_top(weights[f], tokens)}.\n{honest} "
               "Training learns W_q, W_k that make rows like this meaningful.")
    yield Frame((weights_grid(TITLE, weights, tokens, mark_row=f),), with_note(caption, s.note), step=T)
