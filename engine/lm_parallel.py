"""Sequential steps against measured time: what "attention runs in parallel" means on this machine.

    report = epoch_timing("rnn", corpus, recipe)   # or "transformer"

One epoch here is a forward and backward pass over every non-overlapping
window of `context` characters of the training text, in batches of
`batch_size` windows: equal work in characters for every model. The report
gives the seconds this CPU took, and the number of steps that must run one
after another within a window:

- the RNN (LSTM, GRU) reads a window one character at a time: `context`
  dependent steps forward and as many backward, each a small (B, H)·(H, H)
  product that waits for the one before;
- the Transformer computes every position of a window at once in each
  layer: `num_layers` dependent steps forward and as many backward, each a
  large product over all B·T positions.

On one CPU core both kinds do their arithmetic on the same core, so the
count of dependent steps hardly shows in the seconds: what shows is the
total work (and NumPy's overhead per call). A GPU runs thousands of
multiply-adds at once; there the Transformer's few wide steps fill it, and
the RNN's T narrow steps leave most of it idle, which is why attention wins
at scale. The report states both numbers so a lesson can say which one the
learner's screen measures.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from .charlm import Corpus, heldout_windows
from .allocator import training_allocator
from .language_models import LABELS, build_lm, next_char_loss


@dataclass(frozen=True)
class EpochTiming:
    kind: str
    label: str
    seconds: float            # forward + backward over the whole epoch, this CPU
    characters: int           # characters scored (equal for every kind)
    batches: int
    sequential_steps: int     # dependent steps per window, forward + backward
    positions_per_step: int   # positions each of those steps computes at once (per batch)
    parameters: int

    @property
    def chars_per_second(self) -> float:
        return self.characters / self.seconds


def sequential_steps(model, context: int) -> int:
    """Dependent steps per window, forward and backward."""
    layers = model.config["num_layers"] if model.kind == "transformer" else context
    return 2 * layers


def epoch_timing(kind: str, corpus: Corpus, size: str = "small", context: int = 64,
                 batch_size: int = 32, max_batches: int | None = None, seed: int = 0) -> EpochTiming:
    """Time forward + backward of `kind` over one epoch of the training text (see module doc)."""
    model = build_lm(kind, len(corpus.vocab), size, context, seed=seed)
    x, y = heldout_windows(corpus.train, context)  # (T, N): every window, no overlap
    starts = list(range(0, x.shape[1] - batch_size + 1, batch_size))[:max_batches]
    with training_allocator():
        t0 = time.perf_counter()
        for lo in starts:
            xb, yb = x[:, lo:lo + batch_size], y[:, lo:lo + batch_size]
            logits, cache = model.forward(xb)
            _, d_logits = next_char_loss(logits, yb)
            model.backward(d_logits, cache)
        seconds = time.perf_counter() - t0
    width = batch_size * context if kind == "transformer" else batch_size
    return EpochTiming(kind, LABELS[kind], seconds, len(starts) * batch_size * context, len(starts),
                       sequential_steps(model, context), width, model.num_parameters())


def compare(corpus: Corpus, kinds=("rnn", "transformer"), **kwargs) -> dict[str, EpochTiming]:
    """epoch_timing of each kind on the same windows, one kind after the other."""
    return {k: epoch_timing(k, corpus, **kwargs) for k in kinds}


def ratio(timings: dict[str, EpochTiming], a: str = "transformer", b: str = "rnn") -> float:
    """Seconds of a over seconds of b (below 1: a was faster on this machine)."""
    return timings[a].seconds / timings[b].seconds
