"""Training the character language models: one recipe family, and the live race of the four.

    recipe = LMRecipe(steps=800, lr=3e-3, size="small", context=64)
    model, losses = train_lm("gru", corpus, recipe)            # one model

    for event in train_live(KINDS, text, recipe):              # the four, interleaved
        ...  # Started | Step | Checkpoint | Finished

Every model trains through engine.train.train (Adam, gradient-norm clipping,
linear warm-up) on the same random windows of the training text: batch k of
every model is drawn with seed (recipe.seed, k). `train_live` runs one step
of each model in turn, so the four advance side by side and each one's
seconds count only its own steps: `seconds` on the wall clock, and
`cpu_seconds` in CPU time of the training thread (what one core spent,
whatever else the machine runs). Held-out scoring and samples at
checkpoints are not counted in either. Events carry plain numbers and
strings; a consumer that stops iterating stops the training.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .allocator import training_allocator
from .charlm import Corpus, bits_per_char
from .language_models import KINDS, LABELS, build_lm
from .optim import Adam
from .sampling import sample
from .train import StepReport, train


@dataclass(frozen=True)
class LMRecipe:
    """The recipe family every language model here trains with."""
    steps: int = 800
    lr: float = 3e-3
    size: str = "small"
    context: int = 64
    batch_size: int = 16
    clip: float = 1.0
    warmup: int = 20
    seed: int = 0
    eval_windows: int = 64     # held-out windows scored at a checkpoint (None: all)
    checkpoints: int = 4       # checkpoints during training (the last is the final step)
    sample_chars: int = 80     # sampled at each checkpoint, temperature 0.8, seed 0
    sample_prefix: str = "The "
    stateful: bool = False     # recurrent models only: batch k continues batch k-1's text and state


def train_lm(kind: str, corpus: Corpus, recipe: LMRecipe,
             callback: Callable[[StepReport], bool | None] | None = None):
    """Train one fresh model of `kind`. Returns (model, losses per step, seconds), the seconds
    being the CPU time of this process (one BLAS thread: the time on one core, whatever else
    the machine runs)."""
    model = build_lm(kind, len(corpus.vocab), recipe.size, recipe.context, seed=recipe.seed)
    with training_allocator():
        t0 = time.process_time()
        losses = train(model.params, _loss_fn(model, corpus, recipe), Adam(model.params, lr=recipe.lr),
                       recipe.steps, clip=recipe.clip, warmup=recipe.warmup, callback=callback)
        seconds = time.process_time() - t0
    return model, losses, seconds


def _loss_fn(model, corpus: Corpus, recipe: LMRecipe):
    if recipe.stateful and model.kind != "transformer":
        return _stateful_loss_fn(model, corpus, recipe)

    def loss_and_grads(step: int):
        x, y = corpus.batch(recipe.context, recipe.batch_size, seed=(recipe.seed, step))
        return model.loss_and_grads(x, y)
    return loss_and_grads


def _stateful_loss_fn(model, corpus: Corpus, recipe: LMRecipe):
    """Truncated backpropagation through time: the training text cut into batch_size streams,
    batch k the k-th window of `context` characters of each stream, read from the state the
    previous window left (gradients stop at the window's start). A stream that runs out
    starts again from its beginning with a zero state."""
    T, B = recipe.context, recipe.batch_size
    length = (len(corpus.train) - 1) // B
    windows = length // T
    starts = np.arange(B) * length
    carry = {"state": None}

    def loss_and_grads(step: int):
        k = step % windows
        if k == 0:
            carry["state"] = None
        pos = starts[None, :] + k * T + np.arange(T + 1)[:, None]
        win = corpus.train[pos]
        loss, grads, carry["state"] = model.loss_grads_state(win[:-1], win[1:], carry["state"])
        return loss, grads
    return loss_and_grads


# ---------------------------------------------------------------- the live race

@dataclass(frozen=True)
class Started:
    kind: str
    label: str
    parameters: int


@dataclass(frozen=True)
class Step:
    kind: str
    step: int          # 1-based
    loss: float        # mean cross-entropy of the step's batch, in bits per character
    seconds: float     # this model's own training time so far (wall clock)
    cpu_seconds: float  # the same in CPU time of the training thread (what one core spent)


@dataclass(frozen=True)
class Checkpoint:
    kind: str
    step: int
    seconds: float
    cpu_seconds: float
    heldout_bits: float  # bits per character on held-out windows
    sample: str          # sample_chars characters after the prefix


@dataclass(frozen=True)
class Finished:
    kind: str
    model: object        # the trained model (for sampling and hidden states afterwards)
    steps: int
    seconds: float
    cpu_seconds: float
    heldout_bits: float


def checkpoint_steps(steps: int, count: int) -> list[int]:
    """`count` steps spread evenly to the last one (always included)."""
    return sorted({max(1, round(steps * k / count)) for k in range(1, count + 1)})


def train_live(kinds: Sequence[str], text_or_corpus, recipe: LMRecipe = LMRecipe()) -> Iterator:
    """Train fresh models of `kinds` one step each in turn; yield what happens.

    Yields Started(kind) for each model, a Checkpoint per model at step 0 (the
    untrained models: about log2(V) bits per character and noise), then per
    round a Step per model, a Checkpoint per model at checkpoint_steps(), and
    Finished per model at the end.
    """
    corpus = text_or_corpus if isinstance(text_or_corpus, Corpus) else Corpus.from_text(text_or_corpus)
    for kind in kinds:
        if kind not in KINDS:
            raise ValueError(f"unknown model kind {kind!r}; choose from {', '.join(KINDS)}")
    with training_allocator():  # freed activations stay in the process between steps
        runs = {}
        for kind in kinds:
            model = build_lm(kind, len(corpus.vocab), recipe.size, recipe.context, seed=recipe.seed)
            runs[kind] = _Run(model, Adam(model.params, lr=recipe.lr), _loss_fn(model, corpus, recipe))
            yield Started(kind, LABELS[kind], model.num_parameters())
        marks = set(checkpoint_steps(recipe.steps, recipe.checkpoints))
        prefix = corpus.vocab.encode(_known(recipe.sample_prefix, corpus))
        last = {}
        for step in range(0, recipe.steps + 1):
            if step > 0:
                for kind, run in runs.items():
                    loss = run.step(recipe)
                    yield Step(kind, step, loss / np.log(2), run.seconds, run.cpu_seconds)
            if step == 0 or step in marks:  # step 0: the untrained models, noise
                for kind, run in runs.items():
                    bits = bits_per_char(run.model, corpus.heldout, recipe.context, recipe.eval_windows)
                    text = sample(run.model, prefix, recipe.sample_chars, temperature=0.8, seed=0)
                    last[kind] = bits
                    yield Checkpoint(kind, step, run.seconds, run.cpu_seconds, bits, corpus.vocab.decode(text))
        for kind, run in runs.items():
            yield Finished(kind, run.model, recipe.steps, run.seconds, run.cpu_seconds, last[kind])


def _known(prefix: str, corpus: Corpus) -> str:
    """The prefix, or the first character of the training text if the prefix uses
    characters the text lacks (a learner's text may hold no 'T')."""
    chars = set(corpus.vocab.chars)
    return prefix if prefix and set(prefix) <= chars else corpus.vocab.decode(corpus.train[:1])


class _Run:
    """One model's optimizer state and clock, advanced one step at a time through train()."""

    def __init__(self, model, optimizer, loss_fn):
        self.model, self.optimizer, self.loss_fn = model, optimizer, loss_fn
        self.base_lr, self.done, self.seconds, self.cpu_seconds = optimizer.lr, 0, 0.0, 0.0

    def step(self, recipe: LMRecipe) -> float:
        t0, c0 = time.perf_counter(), time.thread_time()
        k = self.done
        # The optimizer's lr is what train()'s warm-up scales; one step of train() at a time.
        self.optimizer.lr = self.base_lr
        losses = train(self.model.params, lambda _: self.loss_fn(k), _Shifted(self.optimizer, k, recipe.warmup),
                       1, clip=recipe.clip)
        self.done += 1
        self.seconds += time.perf_counter() - t0
        self.cpu_seconds += time.thread_time() - c0
        return losses[0]


class _Shifted:
    """The optimizer seen by a one-step train() call at global step k: warm-up scaled for step k."""

    def __init__(self, optimizer, k: int, warmup: int):
        self.optimizer = optimizer
        self.lr = optimizer.lr * (min(1.0, (k + 1) / warmup) if warmup > 0 else 1.0)

    def step(self, grads) -> None:
        self.optimizer.lr = self.lr
        self.optimizer.step(grads)


def race_recipe(**changes) -> LMRecipe:
    """The capstone's defaults with some fields changed (steps=, lr=, size=, context=…)."""
    return replace(LMRecipe(), **changes)
