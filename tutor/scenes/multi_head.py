"""Multi-head attention: every head of one layer, side by side, for the same sentence.

The layer is the coreference model's (coreference_view): trained, it is the
layer of the head that ties "it" to its noun, beside the other heads of that
layer; untrained, the last layer of the same architecture with random weights
and as many heads as the `heads` control asks (each head as wide as a trained
one).
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .attention_common import no_words, weights_grid, with_note
from .coreference_view import Reading, held_out_share, pronoun, read
from tutor.frames import Frame, Row, Table


def run(sentence: str, heads: int, model: str, seed: int) -> tuple[Reading, int]:
    """The sentence through the model, and the layer shown (0-based)."""
    r = read(sentence, model, seed, heads=None if model == "trained" else heads)
    return r, r.coref.layer


def strongest_pair(w: np.ndarray) -> tuple[int, int, float]:
    """The largest weight a token gives another token (off the diagonal); the diagonal if T = 1."""
    T = w.shape[0]
    off = w if T == 1 else np.where(np.eye(T, dtype=bool), -1.0, w)
    i, j = np.unravel_index(int(np.argmax(off)), off.shape)
    return int(i), int(j), float(w[i, j])


def entropy_bits(w: np.ndarray) -> float:
    logs = np.log2(w, out=np.zeros_like(w), where=w > 0)
    return float(np.mean(-(w * logs).sum(axis=-1)))


def head_table(weights: np.ndarray, tokens, shown: int, it: int | None) -> Table:
    """Per head: its strongest pair, and where the row of "it" looks (when the sentence has one)."""
    rows = []
    for h in range(shown):
        i, j, v = strongest_pair(weights[h])
        row = [f"{h + 1}", f"{tokens[i]} → {tokens[j]} {v:.2f}"]
        if it is not None:
            k = int(np.argmax(weights[h, it]))
            row.append(f"{tokens[k]} {weights[h, it, k]:.2f}")
        rows.append((*row, f"{entropy_bits(weights[h]):.2f}"))
    header = ("head", "strongest pair", *(("'it' looks at",) if it is not None else ()), "entropy (bits)")
    return Table("what each head attends to", header, tuple(rows), highlight_row=shown - 1)


def frames(sentence: str, heads: int, model: str, seed: int) -> Iterator[Frame]:
    r, layer = run(sentence, heads, model, seed)
    tokens, T = r.tokens, len(r.tokens)
    if not T:
        yield no_words(r.note)
        return
    weights = r.weights[layer]                                    # (H, T, T)
    H = weights.shape[0]
    where = f"layer {layer + 1}" if r.trained else f"untrained L{layer + 1}"     # short: two grids share a line
    grids = [weights_grid(f"{where} · head {h + 1}", weights[h], tokens) for h in range(H)]
    it = pronoun(tokens)
    for h in range(H):
        shown = grids[: h + 1]
        panels = tuple(Row(tuple(shown[k:k + 2])) for k in range(0, len(shown), 2))
        i, j, v = strongest_pair(weights[h])
        caption = f"Head {h + 1}/{H} of layer {layer + 1}: strongest pair {tokens[i]!r} → {tokens[j]!r} at {v:.2f}."
        if h == H - 1:
            caption = summary(r, weights, layer, it, heads)
        yield Frame((*panels, head_table(weights, tokens, h + 1, it)), with_note(caption, r.note), step=h)


def summary(r: Reading, weights: np.ndarray, layer: int, it: int | None, heads: int) -> str:
    H, T = weights.shape[0], weights.shape[1]
    if not r.trained:
        if H == 1:
            return f"One head: one pattern; add heads to see them differ. {r.untrained_note()}"
        gaps = [np.abs(weights[a] - weights[b]).mean() for a in range(H) for b in range(a + 1, H)]
        return (f"Own W_q, W_k per head: two heads' weights differ by {np.mean(gaps):.3f} on average "
                f"(uniform is {1 / T:.3f}). {r.untrained_note()}")
    text = ""
    if it is not None:
        looks = ", ".join(f"head {h + 1} → {r.tokens[int(np.argmax(weights[h, it]))]!r}" for h in range(H))
        text = f"Row of 'it': {looks}. "
    text += f"Head {r.coref.head + 1} resolves 'it' in {held_out_share(r.coref)}."
    if heads != H:
        text += f" The trained model has {H} heads a layer; the heads control sizes the untrained one."
    return text
