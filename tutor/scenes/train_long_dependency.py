"""RNN vs LSTM on a long dependency: both learn to recall the first token after a gap, live.

The engine's remember-the-first-token task (a symbol, `gap` distractors, "?",
answer the symbol; only the last step is scored) and its recurrent trainer.
Both models train side by side in chunks of a few steps; each chunk yields a
frame (progress and both loss curves), and the last frame adds the held-out
accuracies next to chance.

The chunks call `engine.train` with one Adam per model kept across chunks and
batch k drawn with seed (seed, k): exactly what `train_on_task` does in one go.
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from engine.optim import Adam
from engine.recurrent_train import RecurrentNet, evaluate
from engine.tasks import RememberFirstTask
from engine.train import train

from tutor.frames import Chart, Frame, Progress, Series, Table, frozen
from tutor.scenes.stopping import cancelled
from .recurrent_common import LSTM_CHRONO

HIDDEN = 32
BATCH = 32
LR = 1e-2
CLIP = 1.0
MAX_FRAMES = 40            # streaming frames for a typical budget ...
MIN_CHUNK = 5              # ... at least a few steps between frames ...
MAX_CHUNK = 25             # ... and at most this many, so a long run stays responsive (≈0.6 s at gap 60)
EVAL_SIZE = 512            # held-out sequences scored at the end
SMOOTH = 10                # the loss curves are running means over this many steps
CHANCE_DOTS = 30
KINDS = (("rnn", "RNN"), ("lstm", "LSTM"))


@dataclass
class Run:
    """One model in training: its net, optimizer and every step's loss."""
    kind: str
    label: str
    net: RecurrentNet
    optimizer: Adam
    losses: list[float]


def make_runs(task: RememberFirstTask, seed: int) -> list[Run]:
    runs = []
    for kind, label in KINDS:
        net = RecurrentNet(kind, len(task.vocab), HIDDEN, seed=seed,
                           chrono=LSTM_CHRONO if kind == "lstm" else 0.0)
        runs.append(Run(kind, label, net, Adam(net.params, lr=LR), []))
    return runs


def train_chunk(run: Run, task: RememberFirstTask, start: int, n: int, seed: int) -> None:
    """Steps start..start+n-1 of the run (batch k seeded (seed, k), as train_on_task does)."""
    def loss_and_grads(k: int):
        return run.net.loss_and_grads(task.batch(BATCH, seed=(seed, start + k)))
    with np.errstate(over="ignore", invalid="ignore"):
        run.losses += train(run.net.params, loss_and_grads, run.optimizer, n, clip=CLIP)


def chunk_size(steps: int) -> int:
    return min(MAX_CHUNK, max(MIN_CHUNK, math.ceil(steps / MAX_FRAMES)))


def running_mean(losses: list[float], window: int = SMOOTH) -> np.ndarray:
    """Mean of each step's loss and up to window−1 before it."""
    x = np.asarray(losses, dtype=np.float64)
    c = np.concatenate([[0.0], np.cumsum(x)])
    k = np.arange(1, len(x) + 1)
    lo = np.maximum(k - window, 0)
    return (c[k] - c[lo]) / (k - lo)


def frames(gap: int, steps: int, seed: int) -> Iterator[Frame]:
    task = RememberFirstTask(gap=gap)
    runs = make_runs(task, seed)
    every = chunk_size(steps)
    done, index = 0, 0
    yield Frame((Progress("training", 0, steps), _chart(runs, steps, task.n_symbols)),
                _intro(task), step=index, final=False)
    while done < steps:
        n = min(every, steps - done)
        for run in runs:
            if cancelled():      # the learner moved on (stopping): train no further
                return
            train_chunk(run, task, done, n, seed)
        done += n
        index += 1
        panels = [Progress("training", done, steps), _chart(runs, steps, task.n_symbols)]
        caption = _progress_caption(runs, done, steps, task.n_symbols)
        if done == steps:
            accuracies = [evaluate(run.net, task, batch_size=EVAL_SIZE) for run in runs]
            panels.append(_table(runs, accuracies, task))
            caption = _final_caption(runs, accuracies, task)
        yield Frame(tuple(panels), caption, step=index, final=done == steps)


def _intro(task: RememberFirstTask) -> str:
    example = task.batch(1, seed=0).inputs[:, 0]
    shown = " ".join(task.vocab[i] for i in example)
    return (f"Task: read a symbol, {task.gap} distractors, then '?': answer the first symbol "
            f"(chance {task.chance:.0%}).  e.g. {shown}")


def _chart(runs: list[Run], steps: int, n_symbols: int) -> Chart:
    chance_loss = math.log(n_symbols)
    # chance first and dotted, so the models' curves draw over it
    dots = np.linspace(1.0, float(max(steps, 2)), CHANCE_DOTS)
    series = [Series(f"chance (ln {n_symbols})", frozen(dots), frozen(np.full(CHANCE_DOTS, chance_loss)),
                     points=True)]
    top = 2.5
    for run in runs:
        y = running_mean(run.losses)
        x = np.arange(1, len(y) + 1, dtype=np.float64)
        series.append(Series(run.label, frozen(x), frozen(y)))
        finite = y[np.isfinite(y)]
        if finite.size:
            top = max(top, math.ceil(float(finite.max()) * 2) / 2)
    return Chart(f"loss (running mean of {SMOOTH} steps)", tuple(series), (1.0, float(max(steps, 2))),
                 (0.0, top), x_label="step", height=8)


def _table(runs: list[Run], accuracies: list[float], task: RememberFirstTask) -> Table:
    rows = [(run.label, _loss(run.losses), f"{acc:.1%}") for run, acc in zip(runs, accuracies)]
    rows.append(("chance", f"{math.log(task.n_symbols):.3f}", f"{task.chance:.1%}"))
    best = int(np.argmax(accuracies)) if accuracies else None
    return Table("held-out accuracy", ("model", "final loss", "accuracy"),
                 tuple(rows), highlight_row=best)


def _loss(losses: list[float]) -> str:
    last = running_mean(losses)[-1] if losses else float("nan")
    return f"{last:.3f}" if math.isfinite(last) else "overflow"


def _progress_caption(runs: list[Run], done: int, steps: int, n_symbols: int) -> str:
    parts = ", ".join(f"{run.label} {_loss(run.losses)}" for run in runs)
    return f"Step {done}/{steps}: loss {parts} (guessing scores ln {n_symbols} ≈ {math.log(n_symbols):.3f})."


def _final_caption(runs: list[Run], accuracies: list[float], task: RememberFirstTask) -> str:
    parts = ",  ".join(f"{run.label} {acc:.1%}" for run, acc in zip(runs, accuracies))
    verdicts = []
    for run, acc in zip(runs, accuracies):
        if acc >= 0.9:
            verdicts.append(f"the {run.label} remembers")
        elif acc <= task.chance + 0.1:
            verdicts.append(f"the {run.label} is guessing")
        else:
            verdicts.append(f"the {run.label} is partly there")
    return (f"After training, on {EVAL_SIZE} new sequences: accuracy {parts} (chance {task.chance:.0%}): "
            f"{'; '.join(verdicts)}.")
