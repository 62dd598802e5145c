"""The training loop every model and toy task shares."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from .optim import Adam, clip_grad_norm, global_norm


@dataclass(frozen=True)
class StepReport:
    """Handed to the callback after every optimizer step."""
    step: int        # 1-based
    steps: int       # the budget
    loss: float
    grad_norm: float  # before clipping


LossAndGrads = Callable[[int], tuple[float, Mapping[str, np.ndarray]]]


def train(params: dict[str, np.ndarray], loss_and_grads: LossAndGrads, optimizer,
          steps: int, clip: float | None = None,
          callback: Callable[[StepReport], bool | None] | None = None,
          warmup: int = 0) -> list[float]:
    """Run `steps` optimizer steps; return the loss of each.

    loss_and_grads(step) computes the loss of the step's batch and gradients
    keyed like `params`. With warmup=W the learning rate rises linearly over
    the first W steps to the optimizer's own (lr·k/W at step k, 1-based).
    The callback may return False to stop early (a UI cancelling a run).
    Determinism comes from seeding the batches.
    """
    losses: list[float] = []
    base_lr = optimizer.lr
    for step in range(steps):
        if warmup > 0:
            optimizer.lr = base_lr * min(1.0, (step + 1) / warmup)
        loss, grads = loss_and_grads(step)
        grads = dict(grads)
        norm = clip_grad_norm(grads, clip) if clip is not None else global_norm(grads)
        optimizer.step(grads)
        losses.append(loss)
        if callback is not None and callback(StepReport(step + 1, steps, loss, norm)) is False:
            break
    return losses


def train_adam(model, loss_and_grads: LossAndGrads, steps: int, lr: float,
               clip: float | None = 1.0, warmup: int = 0,
               callback: Callable[[StepReport, object], bool | None] | None = None) -> list[float]:
    """train() with Adam over model.params: the loop every recipe in engine/recipes runs.

    callback(report, model) runs after every step (the model is live); returning
    False stops the run.
    """
    cb = None if callback is None else (lambda report: callback(report, model))
    return train(model.params, loss_and_grads, Adam(model.params, lr=lr), steps, clip=clip,
                 callback=cb, warmup=warmup)
