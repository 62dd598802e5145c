"""A recurrent model with a linear read-out, trained on the toy tasks.

    one-hot token ──▶ RNN | LSTM | GRU ──▶ h_t ──▶ Linear ──▶ logits_t

The loss is softmax cross-entropy over the scored steps of a `TaskBatch`;
`train_on_task` runs engine.train's loop with Adam, so a UI can follow every
step through the callback, and a seed fixes the whole run.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .gru import GRU
from .linear import Linear, LinearCache
from .losses import cross_entropy
from .lstm import LSTM
from .module import Module, nested_params, prefixed
from .optim import Adam
from .rnn import RNN
from .tasks import TaskBatch, one_hot
from .train import StepReport, train

MODELS = {"rnn": RNN, "lstm": LSTM, "gru": GRU}


@dataclass(frozen=True)
class RecurrentNetCache:
    rnn: object        # the recurrent layer's cache: the trace the scenes draw
    head: LinearCache


class RecurrentNet(Module):
    """Tokens in, a prediction per step out. Parameters are keyed
    "rnn.<name>" and "head.<name>", each the recurrent layer's or head's own array."""

    def __init__(self, kind: str, vocab_size: int, hidden_size: int, seed: int = 0,
                 dtype=np.float64, chrono: float = 0.0):
        self.kind, self.vocab_size = kind, vocab_size
        self.rnn = MODELS[kind](vocab_size, hidden_size, seed=seed, dtype=dtype)
        if chrono:
            chrono_init(self.rnn, chrono)
        self.head = Linear(hidden_size, vocab_size, seed=seed + 1, dtype=dtype)
        self.params = nested_params({"rnn": self.rnn, "head": self.head})

    def forward(self, ids: np.ndarray) -> tuple[np.ndarray, RecurrentNetCache]:
        """ids (T, B) -> logits (T, B, V)."""
        x = one_hot(ids, self.vocab_size, self.head.params["weight"].dtype)  # (T, B, V)
        hs, rnn_cache = self.rnn.forward(x)
        logits, head_cache = self.head.forward(hs)
        return logits, RecurrentNetCache(rnn_cache, head_cache)

    def backward(self, d_logits: np.ndarray, cache: RecurrentNetCache) -> dict[str, np.ndarray]:
        d_hs, head_grads = self.head.backward(d_logits, cache.head)
        _, _, rnn_grads = self.rnn.backward(d_hs, cache.rnn)
        return {**prefixed("rnn", rnn_grads), **prefixed("head", head_grads)}

    def loss_and_grads(self, batch: TaskBatch) -> tuple[float, dict[str, np.ndarray]]:
        logits, cache = self.forward(batch.inputs)
        loss, d_logits = cross_entropy(logits, batch.targets, batch.mask)
        return loss, self.backward(d_logits, cache)

    def predict(self, ids: np.ndarray) -> np.ndarray:
        """The most likely token at every step, (T, B)."""
        return self.forward(ids)[0].argmax(axis=-1)

    def accuracy(self, batch: TaskBatch, chunk: int = 64) -> float:
        """Fraction of the scored steps predicted exactly.

        Scored `chunk` sequences at a time: the forward pass keeps its whole
        trace, which for 512 sequences of an LSTM is tens of megabytes."""
        hits = scored = 0
        for lo in range(0, batch.inputs.shape[1], chunk):
            part = slice(lo, lo + chunk)
            mask = batch.mask[:, part]
            hits += int((self.predict(batch.inputs[:, part]) == batch.targets[:, part])[mask].sum())
            scored += int(mask.sum())
        return hits / scored if scored else float("nan")


def chrono_init(lstm: LSTM, bias: float) -> None:
    """Start an LSTM's cell as a memory: forget gate open (bias +bias), input
    gate nearly shut (bias -bias), after Tallec & Ollivier's "chrono"
    initialisation. PyTorch's default starts both gates near ½, so the cell
    forgets about half of itself every step."""
    if not isinstance(lstm, LSTM):
        raise ValueError("chrono initialisation applies to the LSTM only")
    H = lstm.hidden_size
    lstm.params["bias_hh"][:H] -= bias  # i
    lstm.params["bias_hh"][H:2 * H] += bias  # f


def train_on_task(net: RecurrentNet, task, steps: int, batch_size: int = 32, lr: float = 1e-2,
                  clip: float | None = 1.0, seed: int = 0,
                  callback: Callable[[StepReport], bool | None] | None = None) -> list[float]:
    """Adam on fresh batches of `task` (batch k drawn with seed (seed, k)).

    Returns the loss of every step; the callback may return False to stop.
    """
    def loss_and_grads(step: int):
        return net.loss_and_grads(task.batch(batch_size, seed=(seed, step)))
    return train(net.params, loss_and_grads, Adam(net.params, lr=lr), steps, clip=clip,
                 callback=callback)


def evaluate(net: RecurrentNet, task, batch_size: int = 512, seed: int = 10_000) -> float:
    """Accuracy on one large held-out batch (its seed differs from training's)."""
    return net.accuracy(task.batch(batch_size, seed=seed))
