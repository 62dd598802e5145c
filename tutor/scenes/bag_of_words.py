"""Bag of words: two sentences as n-gram count vectors, filled in one word at a time.

Word order is lost in a bag of single words ("dog bites man" and "man bites
dog" give the same vector); counting pairs of neighbours (ngram=2) keeps a
little of it and tells the two apart.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import numpy as np

from tutor.frames import Frame, Grid, Lines, frozen
from .sentence import sentence_tokens

MAX_DIFFERENCES = 6  # n-grams listed under the grid when the bags differ


def ngrams(tokens: list[str], n: int) -> list[str]:
    """The n-grams of a token list, lowercased, each joined by spaces ("dog bites")."""
    words = [t.lower() for t in tokens]
    return [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)]


def vocabulary(bags: list[list[str]]) -> tuple[str, ...]:
    """Every n-gram of the sentences in order of first appearance."""
    return tuple(dict.fromkeys(g for bag in bags for g in bag))


def counts(grams: list[str], vocab: tuple[str, ...]) -> np.ndarray:
    """The count vector of a list of n-grams over the vocabulary."""
    index = {g: i for i, g in enumerate(vocab)}
    out = np.zeros(len(vocab))
    for g in grams:
        out[index[g]] += 1
    return out


def frames(sentence_a: str, sentence_b: str, ngram: int) -> Iterator[Frame]:
    (tok_a, note_a), (tok_b, note_b) = sentence_tokens(sentence_a), sentence_tokens(sentence_b)
    grams_a, grams_b = ngrams(tok_a, ngram), ngrams(tok_b, ngram)
    vocab = vocabulary([grams_a, grams_b])
    notes = _notes(note_a, note_b, tok_a, tok_b, ngram)
    unit = "word" if ngram == 1 else f"{ngram}-gram"
    full = np.stack([counts(grams_a, vocab), counts(grams_b, vocab)])  # (2, V)
    vmax = max(float(full.max(initial=0.0)), 1.0)

    # One frame per word read: A's words, then B's; a word completes at most one n-gram.
    reads = [(0, i) for i in range(len(tok_a))] + [(1, i) for i in range(len(tok_b))]
    for step in range(len(reads) + 1):
        values = np.zeros_like(full)
        done = {0: 0, 1: 0}
        for row, i in reads[:step]:
            done[row] = i + 1
        values[0] = counts(grams_a[:max(done[0] - ngram + 1, 0)], vocab)
        values[1] = counts(grams_b[:max(done[1] - ngram + 1, 0)], vocab)
        mark_row = mark_col = None
        if step == 0:
            caption = f"Two empty bags over a vocabulary of {len(vocab)} {unit}s."
        else:
            row, i = reads[step - 1]
            tokens, grams = (tok_a, grams_a) if row == 0 else (tok_b, grams_b)
            caption = f"Sentence {'AB'[row]}, word {i + 1}/{len(tokens)}: {tokens[i]!r}"
            if i + 1 >= ngram:
                gram = grams[i + 1 - ngram]
                mark_row, mark_col = row, vocab.index(gram)
                caption += f" → count of {gram!r} is now {values[row, mark_col]:.0f}"
            else:
                caption += f" (a {unit} needs {ngram} words)"
        panels: list = []
        if vocab:
            panels.append(Grid(f"{unit} counts", frozen(values), ("A", "B"), vocab, 0.0, vmax,
                               palette="sequential", row_title="sentence", col_title=unit,
                               mark_row=mark_row, mark_col=mark_col, fmt="{:.0f}"))
        final = step == len(reads)
        if final:
            panels.append(_verdict_panel(full, vocab, unit))
            caption = _verdict_caption(full, vocab, unit, tok_a, tok_b)
        if notes:
            caption = f"{caption}\n{notes}"
        yield Frame(tuple(panels), caption, step=step)


def _same(full: np.ndarray) -> bool:
    return bool(np.array_equal(full[0], full[1]))


def _verdict_caption(full, vocab, unit, tok_a, tok_b) -> str:
    if not tok_a and not tok_b:
        return "Both sentences are empty: two empty bags."
    same = _same(full)
    order = " in a different order" if same and [t.lower() for t in tok_a] != [t.lower() for t in tok_b] else ""
    if same:
        return (f"Same bag? Yes: both count vectors are {_vector(full[0])}."
                f" The {unit}s are the same{order}, and the bag cannot tell.")
    differ = int(np.count_nonzero(full[0] != full[1]))
    return (f"Same bag? No: the count vectors differ in {differ} of {len(vocab)} {unit}s"
            f" (A = {_vector(full[0])}, B = {_vector(full[1])}).")


def _verdict_panel(full: np.ndarray, vocab: tuple[str, ...], unit: str) -> Lines:
    same = _same(full)
    answer = ("yes", "good") if same else ("no", "bad")
    lines = [(("Same bag? ", "bold"), answer)]
    diff = [j for j in range(len(vocab)) if full[0, j] != full[1, j]]
    for j in diff[:MAX_DIFFERENCES]:
        lines.append(((f"  {vocab[j]!r}", "accent"), (f"  A: {full[0, j]:.0f}   B: {full[1, j]:.0f}", "")))
    if len(diff) > MAX_DIFFERENCES:
        lines.append(((f"  … and {len(diff) - MAX_DIFFERENCES} more {unit}s differ", "dim"),))
    return Lines("", tuple(lines))


def _vector(row: np.ndarray, most: int = 12) -> str:
    shown = ", ".join(f"{v:.0f}" for v in row[:most])
    return f"[{shown}{', …' if len(row) > most else ''}]"


def _notes(note_a: str, note_b: str, tok_a: list[str], tok_b: list[str], ngram: int) -> str:
    out = []
    for name, note, tokens in (("A", note_a, tok_a), ("B", note_b, tok_b)):
        if not tokens:
            out.append(f"Sentence {name} has no words yet: press e to type one.")
        elif note:
            out.append(f"Sentence {name}: {note}")
        elif len(tokens) < ngram:
            out.append(f"Sentence {name} has fewer than {ngram} words: no {ngram}-grams.")
    return " ".join(out)
