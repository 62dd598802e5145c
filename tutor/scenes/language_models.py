"""Four language models, one text: an RNN, an LSTM, a GRU and a Transformer trained live, side by side.

The race is the engine's: engine.lm_train.train_live runs one training step
of each model in turn on the same random windows of the same text, and
reports every step's loss (bits per character), each model's own seconds,
and at checkpoints its held-out bits per character and a sample. This module
turns those events into frames: loss against step and against seconds as
four series, a table of parameters, seconds and held-out bits, and the
latest sample of each model. The training runs in a thread (the scene's
stream), so frames arrive while it trains; leaving the step stops it.

The text is the shipped corpus, or on one's own machine a UTF-8 file
(`tutor show language_models --text FILE`). A file that cannot be used
(missing, empty, binary, too large, not UTF-8) gives one frame with the
one-line reason, and `problem()` gives the same line to `tutor show`, which
exits 1 with it. A served tutor never reads a file (see registry.serving).
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from engine.charlm import Corpus, TextError, load_corpus, load_text, unigram_bits
from engine.language_models import KINDS, LABELS, SIZES
from engine.lm_train import Checkpoint, Finished, LMRecipe, Started, Step, train_live

from tutor.frames import Chart, Frame, Lines, Progress, Series, Table, frozen
from tutor.scenes.registry import CORPUS, serving
from tutor.scenes.train_transformer import stream

TARGET_FRAMES = 30      # frames over a run, at most one per round of four steps
SAMPLE_WIDTH = 56       # characters of each sample shown: label and sample fit a 72-column pane


@dataclass
class Race:
    """What the frames show, gathered from the engine's events."""
    steps: int
    unigram: float
    parameters: dict[str, int] = field(default_factory=dict)
    losses: dict[str, list[float]] = field(default_factory=dict)
    seconds: dict[str, list[float]] = field(default_factory=dict)
    bits: dict[str, tuple[int, float]] = field(default_factory=dict)     # kind -> (step, held-out bits)
    samples: dict[str, tuple[int, str]] = field(default_factory=dict)
    done: int = 0


def read_text(text: str) -> tuple[str, str]:
    """(name shown, the text) for the text control's value; TextError (one line) if unusable."""
    choice = text.strip()
    if not choice:
        raise TextError(f"type {CORPUS} (the shipped text) or the path of a UTF-8 text file")
    if choice == CORPUS:
        return "the shipped corpus", load_corpus()
    if serving():
        raise TextError("a served tutor reads no files: the shipped corpus is the text here")
    path = Path(choice).expanduser()
    return path.name or choice, load_text(path)


def problem(text: str = CORPUS, **_) -> str | None:
    """The one-line reason the scene cannot run with this text, or None."""
    try:
        Corpus.from_text(read_text(text)[1])
    except TextError as exc:
        return str(exc)
    return None


def frames(lr: float, size: str, context: int, steps: int, seed: int, text: str = CORPUS) -> Iterator[Frame]:
    try:
        name, raw = read_text(text)
        corpus = Corpus.from_text(raw)
    except TextError as exc:
        yield Frame((Lines("the text", ((("Cannot train on it: ", "bad"), (str(exc), "")),)),),
                    f"{exc}. Type {CORPUS} for the shipped text.")
        return
    recipe = LMRecipe(steps=steps, lr=lr, size=size, context=context, seed=seed)
    race = Race(steps, unigram_bits(corpus))
    every = max(1, math.ceil(steps / TARGET_FRAMES))

    def on_event(event, _model=None):
        if isinstance(event, Started):
            race.parameters[event.kind] = event.parameters
            race.losses[event.kind], race.seconds[event.kind] = [], []
            if event.kind == KINDS[-1]:        # all four built, none trained yet
                return Frame(_panels(race), _intro(name, raw, corpus, recipe, race), step=0, final=False)
        elif isinstance(event, Step):
            race.losses[event.kind].append(event.loss)
            race.seconds[event.kind].append(event.seconds)
            race.done = min(len(v) for v in race.losses.values())
            if event.kind == KINDS[-1] and event.step % every == 0 and event.step < steps:
                return Frame(_panels(race), _running(race), step=event.step, final=False)
        elif isinstance(event, Checkpoint):
            race.bits[event.kind] = (event.step, event.heldout_bits)
            race.samples[event.kind] = (event.step, event.sample)
            if event.kind == KINDS[-1] and event.step < steps:
                return Frame(_panels(race), _running(race), step=event.step, final=False)
        elif isinstance(event, Finished) and event.kind == KINDS[-1]:
            return Frame(_panels(race), _final(race, name), step=steps, final=True)
        return None

    def run(callback):
        for event in train_live(KINDS, corpus, recipe):
            if callback(event, None) is False:
                return

    yield from stream(run, on_event)


def _panels(race: Race) -> tuple:
    return (Progress("training, four models in turn", race.done, race.steps),
            _chart(race, "step"), _chart(race, "seconds"), _table(race), _samples(race))


def _chart(race: Race, against: str) -> Chart:
    series, top, right = [], math.ceil(race.unigram) + 1.0, 1.0
    for kind in KINDS:
        y = np.asarray(race.losses.get(kind, []), dtype=np.float64)
        if not y.size:
            continue
        x = (np.arange(1, y.size + 1, dtype=np.float64) if against == "step"
             else np.asarray(race.seconds[kind], dtype=np.float64))
        series.append(Series(LABELS[kind], frozen(x), frozen(y)))
        right = max(right, float(x[-1]))
        top = max(top, math.ceil(float(np.nanmax(y[np.isfinite(y)], initial=0.0))))
    right = float(race.steps) if against == "step" else right
    dots = np.linspace(0.0, right, 16)
    series.insert(0, Series(f"unigram {race.unigram:.2f}", frozen(dots), frozen(np.full(16, race.unigram)),
                            points=True))
    title = ("training loss (bits per character) against steps" if against == "step" else
             "the same loss against each model's own seconds of training, on this machine")
    return Chart(title, tuple(series), (0.0, right), (0.0, float(top)), x_label=against, height=6)


def _table(race: Race) -> Table:
    rows = []
    for kind in KINDS:
        if kind not in race.parameters:
            continue
        secs = race.seconds[kind]
        at, bits = race.bits.get(kind, (0, math.nan))
        per_step = secs[-1] / len(secs) * 1000 if secs else math.nan
        rows.append((LABELS[kind], f"{race.parameters[kind]:,}", f"{per_step:.0f}",
                     "–" if not at else f"{bits:.2f}", "–" if not at else f"{2 ** bits:.1f}"))
    best = min(range(len(rows)), key=lambda i: float(rows[i][3]) if rows[i][3] != "–" else math.inf,
               default=None)
    any_bits = any(r[3] != "–" for r in rows)
    return Table("held-out: the last tenth of the text, never trained on",
                 ("model", "parameters", "ms/step", "bits/char", "perplexity"), tuple(rows),
                 highlight_row=best if any_bits else None)


def _samples(race: Race) -> Lines:
    lines = []
    for kind in KINDS:
        if kind in race.samples:
            at, text = race.samples[kind]
            lines.append(((f"{LABELS[kind]:<12}", "bold"), (_visible(text)[:SAMPLE_WIDTH], "")))
    at = max((s for s, _ in race.samples.values()), default=0)
    title = f"samples at step {at} (temperature 0.8)" if at else "samples appear at the first checkpoint"
    return Lines(title, tuple(lines))


def _visible(text: str) -> str:
    return "".join("↵" if c == "\n" else "→" if c == "\t" else c if c.isprintable() else "�" for c in text)


def _intro(name: str, raw: str, corpus: Corpus, r: LMRecipe, race: Race) -> str:
    return (f"Text: {name}, {len(raw):,} characters, {len(corpus.vocab)} distinct; the last tenth is held out. "
            f"Four {r.size} models start from random weights and take turns: one step each on the same "
            f"{r.batch_size} windows of {r.context} characters, Adam at lr {r.lr:g}, {r.steps} steps. "
            f"To beat: the unigram model's {race.unigram:.2f} bits per character. Steps that wait for each other "
            f"reading a window: {r.context} in each recurrent model, {SIZES[r.size]['transformer'][1]} (its layers) "
            f"in the Transformer.")


def _running(race: Race) -> str:
    text = f"Step {race.done}/{race.steps}."
    if race.bits:
        at = max(s for s, _ in race.bits.values())
        held = ", ".join(f"{LABELS[k]} {race.bits[k][1]:.2f}" for k in KINDS if k in race.bits)
        text += f" Held-out bits per character at step {at}: {held} (unigram {race.unigram:.2f})."
    return text


def _final(race: Race, name: str) -> str:
    ranked = sorted(KINDS, key=lambda k: race.bits[k][1])
    best, worst = ranked[0], ranked[-1]
    seconds = {k: race.seconds[k][-1] for k in KINDS}
    fastest = min(KINDS, key=seconds.get)
    order = " < ".join(f"{LABELS[k]} {race.bits[k][1]:.2f}" for k in ranked)
    return (f"After {race.steps} steps on {name}: held-out bits per character {order} "
            f"(unigram {race.unigram:.2f}); perplexity of the best, {LABELS[best]}: {2 ** race.bits[best][1]:.1f}. "
            f"Own training time: " + ", ".join(f"{LABELS[k]} {seconds[k]:.1f} s" for k in KINDS) +
            f"; {LABELS[fastest]} was quickest. {LABELS[worst]} is furthest behind on held-out text.")
