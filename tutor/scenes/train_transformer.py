"""A tiny Transformer learning a toy task live: progress, loss curve, attention.

The run is the engine's own: engine.recipes.toy_tasks.train_transformer (reverse or
copy 8 digits) with a callback. The callback runs after every step in a
training thread; every few steps it draws a frame from the live model (the
loss so far, and the decoder's cross-attention on one fixed held-out example,
averaged over heads as engine.recipes.toy_tasks.attention_grid does), and at
checkpoints the exact-sequence accuracy of greedy decoding on held-out
sequences that training never sees. This generator yields those frames as
they come; closing it stops the training at its next step.
"""
from __future__ import annotations

import math
import queue
from dataclasses import replace
import threading
import time
from collections.abc import Callable, Iterator

import numpy as np

from engine.decode import greedy_decode
from engine.recipes.toy_tasks import (TASK_CONFIG, TASK_LENGTH, TASK_SYMBOLS, TaskRecipe, attention_grid, eval_set,
                                      sequence_accuracy, train_transformer)
from engine.seq_tasks import symbol_vocab

from tutor.frames import Chart, Frame, Grid, Progress, Row, Series, frozen
from tutor.scenes.stopping import cancelled

TARGET_FRAMES = 20   # frames for a typical budget ...
MIN_CHUNK = 5        # ... at least a few steps apart ...
MAX_CHUNK = 40       # ... and at most this many (≈0.25 s of training here), so long runs stay live
CHECK_EVERY = 5      # chunks between accuracy checkpoints (and the last step)
EVAL_N = 1000        # held-out sequences scored at each checkpoint
DOTS = 30
WATCH_EVERY = 0.02   # seconds between looks at whether the frames are still wanted


def chunk_size(steps: int) -> int:
    return min(MAX_CHUNK, max(MIN_CHUNK, math.ceil(steps / TARGET_FRAMES)))


def held_out_example(src: np.ndarray, tgt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first held-out pair whose digits are all different (so every column is told apart)."""
    for s, t in zip(src, tgt):
        if len(set(s.tolist())) == len(s):
            return s, t
    return src[0], tgt[0]


def symbols(ids) -> tuple[str, ...]:
    vocab = symbol_vocab(TASK_SYMBOLS).tokens
    return tuple(vocab[i] for i in ids)


def expected_inputs(task: str) -> np.ndarray:
    """For each output position, the input position it must read: n−1−i to reverse, i to copy."""
    i = np.arange(TASK_LENGTH)
    return i[::-1] if task == "reverse" else i


def recipe(lr: str, warmup: int) -> TaskRecipe:
    """The engine's recipe for the toy tasks with the scene's learning rate and warm-up."""
    return replace(TaskRecipe(), lr=float(lr), warmup=int(warmup))


def frames(task: str, steps: int, seed: int, lr: str = "0.003", warmup: int = 0) -> Iterator[Frame]:
    run = recipe(lr, warmup)
    src, tgt = eval_set(task, EVAL_N)
    ex_src, ex_tgt = held_out_example(src, tgt)
    every = chunk_size(steps)
    rows, cols = (*symbols(ex_tgt), "<eos>"), symbols(ex_src)
    title = f"cross-attention, mean of {TASK_CONFIG.nhead} heads"

    def grid(weights: np.ndarray) -> Grid:
        return Grid(title, frozen(weights), rows, cols, 0.0, 1.0, palette="sequential",
                    row_title="output", col_title="input", fmt="{:.4f}")

    losses: list[float] = []
    checkpoints: list[tuple[int, float]] = []
    start = time.perf_counter()

    def on_step(report, model) -> Frame | None:
        losses.append(report.loss)
        done = report.step
        last = done == report.steps
        if not (done == 1 or done % every == 0 or last):
            return None
        if done % (every * CHECK_EVERY) == 0 or last:
            checkpoints.append((done, sequence_accuracy(model, src, tgt)))
        weights = attention_grid(model, ex_src, ex_tgt)                       # (9, 8)
        written = greedy_decode(model.next_token_log_probs(ex_src[:, None]), 1, TASK_LENGTH + 1).sequences()[0]
        panels = (Progress("training", done, report.steps), Row((_chart(losses, report.steps), grid(weights))))
        caption = _caption(task, done, report.steps, losses, checkpoints, weights, written, ex_tgt,
                           time.perf_counter() - start)
        return Frame(panels, caption, step=done, final=last)

    untrained = grid(np.full((len(rows), len(cols)), np.nan))
    yield Frame((Progress("training", 0, steps), Row((_chart([], steps), untrained))),
                _intro(task, seed, cols, rows, run), step=0, final=False)
    yield from stream(lambda callback: train_transformer(task, steps, seed, callback, recipe=run), on_step)


def stream(run: Callable[[Callable], object], on_step: Callable) -> Iterator[Frame]:
    """Run a training with a callback in a thread; yield the frames the callback makes.

    The trainer waits while a frame is not yet taken (it runs at most one
    frame ahead), and stops at its next step once this generator is closed,
    or within WATCH_EVERY of its frames no longer being wanted (stopping).
    """
    items: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()

    def put(item) -> None:
        while not stop.is_set():
            try:
                items.put(item, timeout=0.05)
                return
            except queue.Full:
                pass

    def callback(report, model):
        frame = on_step(report, model)
        if frame is not None:
            put(("frame", frame))
        return False if stop.is_set() else None

    def work() -> None:
        try:
            run(callback)
        except BaseException as exc:  # handed to the generator, which raises it in its own thread
            put(("error", exc))
        else:
            put(("done", None))

    thread = threading.Thread(target=work, name="train_transformer scene", daemon=True)
    thread.start()
    try:
        while True:
            try:
                kind, value = items.get(timeout=WATCH_EVERY)
            except queue.Empty:
                if cancelled():   # the learner moved on: the trainer stops at its next step
                    return
                continue
            if kind == "error":
                raise value
            if kind == "done":
                return
            yield value
    finally:
        stop.set()
        thread.join(timeout=5)


def _chart(losses: list[float], steps: int) -> Chart:
    uniform = math.log(TASK_CONFIG.tgt_vocab)
    x_hi = float(max(steps, 2))
    dots = np.linspace(1.0, x_hi, DOTS)
    series = [Series(f"uniform guess (ln {TASK_CONFIG.tgt_vocab})", frozen(dots), frozen(np.full(DOTS, uniform)),
                     points=True)]
    top = math.ceil(uniform)
    if losses:
        y = np.asarray(losses, dtype=np.float64)
        series.append(Series("loss", frozen(np.arange(1, len(y) + 1, dtype=np.float64)), frozen(y)))
        finite = y[np.isfinite(y)]
        if finite.size:
            top = max(top, math.ceil(float(finite.max())))
    return Chart("training loss (cross-entropy per token)", tuple(series), (1.0, x_hi), (0.0, float(top)),
                 x_label="step", height=8)


def _intro(task: str, seed: int, cols, rows, r: TaskRecipe) -> str:
    c = TASK_CONFIG
    verb = "reversed" if task == "reverse" else "copied"
    return (f"Task: write {TASK_LENGTH} digits {verb}, e.g. {' '.join(cols)} → {' '.join(rows[:-1])} "
            f"(never in a training batch). A Transformer with {c.num_encoder_layers}+{c.num_decoder_layers} layers, "
            f"d_model {c.d_model}, {c.nhead} heads starts from random weights (seed {seed}); each step trains on "
            f"{r.batch_size} fresh sequences with Adam, lr {r.lr:g}"
            + (f" reached after a linear warm-up of {r.warmup} steps." if r.warmup else ", no warm-up."))


def _caption(task, done, steps, losses, checkpoints, weights, written, ex_tgt, seconds) -> str:
    loss = losses[-1]
    right = sum(int(a == b) for a, b in zip(written, ex_tgt))
    verdict = "all right" if list(written) == list(ex_tgt) else f"{right}/{TASK_LENGTH} in place"
    on_target = float(weights[np.arange(TASK_LENGTH), expected_inputs(task)].mean())
    where = "anti-diagonal" if task == "reverse" else "diagonal"
    example = (f"Example: {' '.join(symbols(written)) or '(nothing)'} ({verdict}); {on_target:.2f} of each row's "
               f"attention on the {where} (uniform {1 / TASK_LENGTH:.3f}).")
    if done < steps:
        text = (f"Step {done}/{steps}: loss {loss:.3g} (uniform guess: ln {TASK_CONFIG.tgt_vocab} = "
                f"{math.log(TASK_CONFIG.tgt_vocab):.2f}). {example}")
        if checkpoints:
            at, acc = checkpoints[-1]
            text += f" Held-out exact-sequence accuracy at step {at}: {acc:.1%} of {EVAL_N}."
        return text
    acc = checkpoints[-1][1]
    learned = ("it has learned the task" if acc >= 0.99 else
               "it is partly there: more steps would help" if acc >= 0.1 else
               "it has not learned the task yet: try more steps")
    shown = checkpoints if len(checkpoints) <= 5 else [*checkpoints[:2], None, *checkpoints[-2:]]
    history = ", ".join("…" if c is None else f"{c[1]:.1%} at {c[0]}" for c in shown)
    return (f"After {steps} steps ({seconds:.1f} s here): loss {loss:.3g}; held-out exact-sequence accuracy "
            f"{acc:.1%} of {EVAL_N} sequences never trained on ({history}): {learned}. {example}")
