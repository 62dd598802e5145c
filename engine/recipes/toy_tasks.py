"""The reversal Transformer: a tiny encoder–decoder on the toy tasks (reverse or copy).

Shipped as zoo model ``reversal_transformer`` (engine/weights/reversal_transformer.npz):
trained on fresh random batches of length-8 sequences over 10 symbols, never on
the 1000 held-out sequences drawn with EVAL_SEED; checked by exact-sequence
accuracy of greedy decoding on those. ``train_transformer`` is also what the UI
runs live: it reports every step to a callback, which may stop the run.
``attention_grid`` shows where each output looked (also for the phrase models).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np

from ..decode import greedy_decode
from ..losses import cross_entropy
from ..seq_tasks import BOS, copy_pairs, make_batch, reverse_pairs
from ..train import StepReport, train_adam
from ..transformer import Transformer, TransformerConfig
from ..zoo_entry import Measurement, ZooModel, read_weights, save_weights

Callback = Callable[[StepReport, object], "bool | None"]

TASKS = {"reverse": reverse_pairs, "copy": copy_pairs}
TASK_LENGTH, TASK_SYMBOLS = 8, 10
TASK_CONFIG = TransformerConfig(src_vocab=14, tgt_vocab=14, d_model=32, nhead=2,
                                num_encoder_layers=1, num_decoder_layers=1,
                                dim_feedforward=64, max_len=16)
EVAL_SEED = 12345  # held-out sequences; training batches never contain them
NAME = "reversal_transformer"


@dataclass(frozen=True)
class TaskRecipe:
    steps: int = 400
    batch_size: int = 64
    lr: float = 3e-3
    clip: float = 1.0


def eval_set(task: str = "reverse", n: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """(src, tgt), both (n, 8): the held-out sequences of a toy task."""
    return TASKS[task](n, TASK_LENGTH, TASK_SYMBOLS, seed=EVAL_SEED)


def _codes(seqs: np.ndarray) -> np.ndarray:
    return seqs @ (TASK_SYMBOLS + 4) ** np.arange(seqs.shape[1])  # one integer per sequence


def train_transformer(task: str = "reverse", steps: int | None = None, seed: int = 0,
                      callback: Callback | None = None, recipe: TaskRecipe = TaskRecipe(),
                      dtype=np.float32) -> tuple[Transformer, list[float]]:
    """Train a tiny Transformer on a toy task ("reverse" or "copy"; length 8, 10 symbols).

    callback(report, model) runs after every step (the model is live: draw its
    attention from it, don't keep it for later); returning False stops. Returns
    (model, loss per step). Safe to run in a worker thread.
    """
    steps = recipe.steps if steps is None else steps
    pairs = TASKS[task]
    model = Transformer(TASK_CONFIG, seed=seed, dtype=dtype)
    held_out = _codes(eval_set(task)[0])

    def loss_and_grads(step: int):
        src, tgt = pairs(recipe.batch_size, TASK_LENGTH, TASK_SYMBOLS, seed=(seed, step))
        keep = ~np.isin(_codes(src), held_out)
        b = make_batch(src[keep], tgt[keep])
        logits, cache = model.forward(b.src, b.tgt_in)
        loss, d_logits = cross_entropy(logits, b.tgt_out)
        return loss, model.backward(d_logits, cache)

    return model, train_adam(model, loss_and_grads, steps, recipe.lr, recipe.clip, callback=callback)


def train_reversal(steps: int | None = None, seed: int = 0, callback: Callback | None = None,
                   **kwargs) -> tuple[Transformer, list[float]]:
    """train_transformer("reverse", ...): the run the training lesson shows."""
    return train_transformer("reverse", steps, seed, callback, **kwargs)


def sequence_accuracy(model, src: np.ndarray, tgt: np.ndarray, chunk: int = 250) -> float:
    """Exact-sequence accuracy of greedy decoding; src, tgt (n, length).

    Decoded `chunk` sequences at a time, which bounds the activations held at
    once (a thousand at once peaked about 20 MB higher)."""
    right = 0
    for lo in range(0, len(src), chunk):
        s, t = src[lo:lo + chunk], tgt[lo:lo + chunk]
        result = greedy_decode(model.next_token_log_probs(s.T), len(s), t.shape[1] + 1)
        right += sum(seq == list(want) for seq, want in zip(result.sequences(), t))
    return right / len(src) if len(src) else float("nan")


def attention_grid(model, src: np.ndarray, tgt: np.ndarray) -> np.ndarray:
    """Where each output looked, for one pair of id sequences, teacher-forced.

    Returns (len(tgt) + 1, len(src)): one row per target token, then <eos>.
    A Transformer shows its last decoder layer's cross-attention averaged over
    heads; an RNN encoder–decoder its Bahdanau alignment.
    """
    tgt_in = np.array([BOS, *tgt])[:, None]  # (T, 1)
    _, cache = model.forward(np.asarray(src)[:, None], tgt_in)
    if isinstance(model, Transformer):
        return cache.decoder.cross_weights[-1][0].mean(axis=0)
    return cache.weights[0]


def load_reversal(dtype=np.float64) -> tuple[Transformer, dict]:
    """The shipped reversal Transformer and its meta (config, recipe, accuracy)."""
    arrays, meta = read_weights(NAME)
    model = Transformer(TransformerConfig(**meta["config"]), dtype=dtype)
    model.load_state_dict(arrays)
    return model, meta


def measure_reversal() -> list[Measurement]:
    model, meta = load_reversal()
    src, tgt = eval_set("reverse", meta["eval"]["n"])
    return [Measurement("held-out sequence accuracy", sequence_accuracy(model, src, tgt), 0.99)]


def retrain_reversal(seed: int = 0) -> dict:
    t0 = time.perf_counter()
    model, losses = train_reversal(seed=seed)
    seconds = time.perf_counter() - t0
    meta = {"config": asdict(TASK_CONFIG), "recipe": asdict(TaskRecipe()), "seed": seed,
            "data": "random length-8 sequences over 10 symbols, target = the source reversed; "
                    "fresh batch per step, minus the held-out set",
            "eval": {"task": "reverse", "n": 1000, "seed": EVAL_SEED},
            "accuracy": sequence_accuracy(model, *eval_set("reverse")),
            "final_loss": losses[-1], "train_seconds": round(seconds, 1)}
    save_weights(NAME, model.params, meta)
    return meta


MODELS = [ZooModel(NAME, "encoder–decoder Transformer that reverses 8 symbols (lesson: training)",
                   load_reversal, measure_reversal, retrain_reversal)]
