"""What the scenes on the trained English→Italian models share: reading the
learner's phrase into the model's vocabulary, greedy translation, and the
attention each output word paid to the source words.

The models are the engine's shipped ones (engine.recipes.phrases.load_phrase_model:
GRU encoder–decoder with Bahdanau attention; load_phrase_transformer: a
1-layer, 2-head encoder–decoder Transformer). Words the model never saw are
read as <unk>, and the scene says which.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.decode import greedy_decode
from engine.recipes.toy_tasks import attention_grid
from engine.seq_tasks import BOS, EOS, SPECIALS, UNK, PhraseSet
from engine.tokens import tokenize
from engine.transformer import Transformer

from tutor.frames import Frame, Grid, frozen
from .sentence import sentence_tokens

UNKNOWN_MARK = "?"   # appended to a source word the model does not know
EXTRA_TOKENS = 4     # greedy/beam outputs stop after len(source) + 4 tokens (<eos> included)


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]      # the learner's tokens, as typed
    ids: np.ndarray             # (S,) source ids; <unk> (0) where the word is unknown
    unknown: tuple[str, ...]    # the words read as <unk>, in order, without repeats
    note: str                   # "" or what the learner must know (empty, cut, unknown words)

    @property
    def labels(self) -> tuple[str, ...]:
        """Column labels: the words, unknown ones marked."""
        return tuple(w + UNKNOWN_MARK if i == UNK else w for w, i in zip(self.words, self.ids))


def read_phrase(phrase: str, phrases: PhraseSet, max_tokens: int | None = None) -> Phrase:
    """The phrase's tokens and source ids, cut at max_tokens (the model's positions) if given."""
    tokens, note = sentence_tokens(phrase)
    notes = [note] if note else []
    if max_tokens is not None and len(tokens) > max_tokens:
        notes = [f"Only the first {max_tokens} of {len(tokenize(phrase))} tokens are read: "
                 f"the model has position codes for {max_tokens}."]
        tokens = tokens[:max_tokens]
    ids = phrases.src_vocab.encode(tokens) if tokens else np.zeros(0, dtype=np.int64)
    unknown = tuple(dict.fromkeys(w for w, i in zip(tokens, ids) if i == UNK))
    if unknown:
        known = len(phrases.src_vocab) - len(SPECIALS)
        shown = ", ".join(repr(w) for w in unknown[:8]) + (", …" if len(unknown) > 8 else "")
        notes.append(f"Not among the model's {known} English words, read as <unk> (marked {UNKNOWN_MARK}): {shown}.")
    return Phrase(tuple(tokens), ids, unknown, "\n".join(notes))


def max_output(source_length: int, model) -> int:
    """The length limit of a translation (tokens, <eos> included)."""
    limit = source_length + EXTRA_TOKENS
    if isinstance(model, Transformer):
        limit = min(limit, model.config.max_len - 1)  # the prefix (<bos> + tokens) needs positions too
    return limit


@dataclass(frozen=True)
class Translation:
    ids: tuple[int, ...]        # the output tokens, without <eos>
    words: tuple[str, ...]
    finished: bool              # ended with <eos> (False: cut at the length limit)
    max_len: int


def with_weights(model, which: str, seed: int):
    """The shipped model (which="trained"), or the same architecture with random weights from the seed."""
    if which == "trained":
        return model
    return type(model)(model.config, seed=seed)


def untrained_note(seed: int) -> str:
    return f" Untrained: the same model with random weights (seed {seed}), so the output and the weights are arbitrary."


def translate(model, phrases: PhraseSet, ids: np.ndarray) -> Translation:
    """Greedy translation of one source (ids (S,)), with the engine's greedy_decode."""
    limit = max_output(len(ids), model)
    result = greedy_decode(model.next_token_log_probs(ids[:, None]), 1, limit)
    out = tuple(result.sequences()[0])
    finished = bool(np.any(result.tokens[:, 0] == EOS))
    return Translation(out, tuple(phrases.tgt_vocab.tokens[i] for i in out), finished, limit)


def cross_weights(model, src: np.ndarray, out: tuple[int, ...]) -> np.ndarray:
    """Where each output token looked, teacher-forced on the model's own output.

    Returns (H, T + 1, S): one row per output token, then the <eos> step. A
    Transformer gives its last decoder layer's cross-attention per head; the
    RNN encoder–decoder its Bahdanau alignment (H = 1). Teacher forcing on the
    greedy output reproduces the decoding steps exactly: each row only depends
    on the tokens before it.
    """
    if isinstance(model, Transformer):
        tgt_in = np.array([BOS, *out])[:, None]                          # (T + 1, 1)
        _, cache = model.forward(src[:, None], tgt_in)
        return cache.decoder.cross_weights[-1][0]                        # (H, T + 1, S)
    return attention_grid(model, src, np.array(out, dtype=np.int64))[None]  # (1, T + 1, S)


def alignment_grid(title: str, weights: np.ndarray, rows: tuple[str, ...], cols: tuple[str, ...],
                   shown: int, mark: int | None) -> Grid:
    """Weights (T, S) 0..1, output words down, source words across; rows ≥ shown not decoded yet."""
    values = weights.copy()
    values[shown:] = np.nan
    return Grid(title, frozen(values), rows, cols, 0.0, 1.0, palette="sequential",
                row_title="output", col_title="source", mark_row=mark, fmt="{:.4f}")


def strongest(row: np.ndarray, cols: tuple[str, ...], k: int = 1) -> str:
    """The k source words with the largest weights in one row: "'love' 0.83"."""
    order = np.argsort(-row, kind="stable")[:k]
    return ", ".join(f"{cols[j]!r} {row[j]:.2f}" for j in order)


def reference(words: tuple[str, ...], phrases: PhraseSet) -> str | None:
    """The Italian of a training pair whose English has exactly these words (any case), if any."""
    key = [w.lower() for w in words]
    for en, it in phrases.pairs:
        if [w.lower() for w in tokenize(en)] == key:
            return it
    return None


def training_note(words: tuple[str, ...], output: tuple[str, ...], phrases: PhraseSet) -> str:
    """" A training pair." (and its reference when the output differs), or ""."""
    ref = reference(words, phrases)
    if ref is None:
        return ""
    if [w.lower() for w in tokenize(ref)] == list(output):
        return " A training pair, translated as trained."
    return f" A training pair: the reference is {ref!r}."


def row_sums(weights: np.ndarray) -> str:
    """How exactly the rows of (..., T, S) weights sum to 1, for a caption."""
    error = float(np.max(np.abs(weights.sum(axis=-1) - 1.0))) if weights.size else 0.0
    return "Rows sum to 1" + (" exactly." if error == 0 else f" (±{error:.0e}).")


def no_phrase(note: str) -> Frame:
    return Frame((), note)


def with_note(caption: str, note: str) -> str:
    return f"{caption}\n{note}" if note else caption


def run_translation(shipped, phrases: PhraseSet, phrase: str, which: str, seed: int,
                    max_tokens: int | None = None):
    """The engine run behind both alignment scenes: (phrase, greedy translation, cross-attention
    weights (H, T + 1, S)); no translation (None, None) when the phrase has no words."""
    model = with_weights(shipped, which, seed)
    p = read_phrase(phrase, phrases, max_tokens=max_tokens)
    if not p.words:
        return p, None, None
    tr = translate(model, phrases, p.ids)
    return p, tr, cross_weights(model, p.ids, tr.ids)


def closing_note(words: tuple[str, ...], tr: Translation, phrases: PhraseSet, trained: bool, seed: int) -> str:
    """The end of a final caption: how training saw this pair (or that the model is untrained), and a cut."""
    text = training_note(words, tr.words, phrases) if trained else untrained_note(seed)
    if not tr.finished:
        text += f" Cut at the length limit of {tr.max_len} tokens: the model never chose <eos>."
    return text


def alignment_frames(p: Phrase, tr: Translation | None, weights: np.ndarray, panels, step_caption,
                     final_caption):
    """One frame per output word, its row of the weights (H, T + 1, S) filled in (the <eos> step left out).

    panels(w, rows, cols, shown, mark) draws the weights; step_caption(t, w) and final_caption(w)
    word the frames, w being the weights (H, T, S) without the <eos> step.
    """
    if tr is None:
        yield no_phrase(p.note)
        return
    cols = p.labels
    if not tr.words:  # the model chose <eos> first: show that one step
        looked = strongest(weights[:, 0].mean(axis=0), cols, 2)
        yield Frame(panels(weights[:, :1], ("<eos>",), cols, 1, 0),
                    with_note(f"The model wrote nothing: <eos> came first, looking at {looked}.", p.note))
        return
    T = len(tr.words)
    w = weights[:, :T]
    for t in range(T):
        caption = final_caption(w) if t == T - 1 else step_caption(t, w)
        yield Frame(panels(w, tr.words, cols, t + 1, t), with_note(caption, p.note), step=t)
