"""Self-attention matrix of a sentence, filled in row by row (one query at a time).

The weights are one head of the engine's coreference model (coreference_view):
the trained model, whose head ties "it" to the noun it refers to, or the same
architecture with random weights (model: untrained), for contrast.
"""
from __future__ import annotations

from collections.abc import Iterator

from .attention_common import describe_top, no_words, weights_grid, with_note
from .coreference_view import Reading, pronoun, read, training_line
from tutor.frames import Frame

TITLE = "softmax(QKᵀ/√d_k)"


def run(sentence: str, model: str, seed: int) -> Reading:
    """The sentence through the chosen model: tokens, every head's weights, what it names for "it"."""
    return read(sentence, model, seed)


def frames(sentence: str, model: str, seed: int) -> Iterator[Frame]:
    r = run(sentence, model, seed)
    tokens, T = r.tokens, len(r.tokens)
    if not T:
        yield no_words(r.note)
        return
    weights = r.shown
    title = f"{r.head_name if r.trained else 'untrained ' + r.head_name}: {TITLE}"
    for t in range(T):
        caption = (f"Query {t + 1}/{T}: {tokens[t]!r} scores every key, softmax turns its row into weights "
                   f"summing to 1: {describe_top(weights[t], tokens)}.")
        yield Frame((weights_grid(title, weights, tokens, shown_rows=t + 1, mark_row=t),),
                    with_note(caption, r.note), step=t)
    f = pronoun(tokens)
    focus = f if f is not None else int(weights.max(axis=1).argmax())
    yield Frame((weights_grid(title, weights, tokens, mark_row=focus),),
                with_note(final_caption(r, focus, f is not None), r.note), step=T)


def final_caption(r: Reading, focus: int, is_pronoun: bool) -> str:
    tokens, weights = r.tokens, r.shown
    row = f"Row {tokens[focus]!r}" if is_pronoun else f"Row {tokens[focus]!r} (the most peaked)"
    text = f"{row} attends most to {describe_top(weights[focus], tokens)}"
    text += f": the model names {r.named[focus]!r}." if is_pronoun and focus in r.named else "."
    if r.trained and is_pronoun:
        return f"{text}\nTrained: {training_line(r.coref)}."
    if r.trained:
        return f"{text}\nTrained to resolve 'it' in made-up sentences; with no 'it' here, read the shape only."
    return f"{text}\n{r.untrained_note()}"
