"""Gates with a purpose: an LSTM trained on the marked-symbol task (zoo model ``gates``).

Task (engine.tasks.MarkedSymbolTask): 24 steps of symbols A–D, a marker "!"
in the first third, and "?" at the end, to be answered with the symbol that
followed the marker. The other symbols are the same kind as the key, so the
cell has to let in the key and keep everything else out, then hold it.

The cell starts "chrono"-initialised with bias 2 (forget gate ≈ σ(2) = 0.88,
input gate ≈ σ(−2) = 0.12 everywhere, engine.recurrent_train.chrono_init):
at 0.88 a step, a memory fades to 5% over the gap, so holding it is learned.

Memory units: the units that take the key in and keep it — ranked by how much
of the key their cell holds right after the key step (R² over the four keys)
times how well that value survives to the end (correlation of c right after
the key with c at the last symbol); the units scoring ≥ 0.5, chosen on a
selection batch (meta["memory_units"]). Measured on held-out sequences (EVAL_SEED):
- accuracy ≥ 0.95;
- forget gate of the memory units, mean over the gap (after the key, before "?") ≥ 0.9;
- their input gate at the key ≥ 3 × its mean over the other symbols (before and after).

API: load_gates() -> Gates (net, task, memory_units, meta); untrained_gates(seed)
(the same architecture and initialisation, untrained); gate_trace(net, ids)
-> {"i","f","g","o","c","h"}: (T, H) arrays for one sequence; sequence(seed)
-> ids (T,) of one held-out-style sequence; gate_summary(net, units).
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import numpy as np

from ..recurrent_train import RecurrentNet, evaluate, train_on_task
from ..tasks import MarkedSymbolTask
from ..zoo_entry import Measurement, ZooModel, read_weights, save_weights

NAME = "gates"
TASK = MarkedSymbolTask(length=24, n_symbols=4)
EVAL_SEED, SELECT_SEED = 31337, 2718
FORGET_BAR, INPUT_RATIO_BAR, ACCURACY_BAR = 0.9, 3.0, 0.95
MEMORY_SCORE = 0.5


@dataclass(frozen=True)
class GatesRecipe:
    steps: int = 2000
    batch_size: int = 32
    lr: float = 1e-2
    clip: float = 1.0
    hidden_size: int = 16
    chrono: float = 2.0


@dataclass
class Gates:
    net: RecurrentNet
    task: MarkedSymbolTask
    memory_units: list[int]
    meta: dict


def build(seed: int = 0, recipe: GatesRecipe = GatesRecipe(), dtype=np.float64) -> RecurrentNet:
    return RecurrentNet("lstm", len(TASK.vocab), recipe.hidden_size, seed=seed, dtype=dtype, chrono=recipe.chrono)


def train_gates(seed: int = 0, recipe: GatesRecipe = GatesRecipe(), steps: int | None = None,
                callback=None) -> tuple[RecurrentNet, list[float]]:
    net = build(seed, recipe)
    losses = train_on_task(net, TASK, recipe.steps if steps is None else steps, recipe.batch_size,
                           recipe.lr, recipe.clip, seed=seed, callback=callback)
    return net, losses


def gate_trace(net: RecurrentNet, ids) -> dict[str, np.ndarray]:
    """One sequence of ids (T,): the gates i, f, g, o and the states c, h, each (T, H)."""
    _, cache = net.forward(np.asarray(ids)[:, None])
    r = cache.rnn
    return {"i": r.i[:, 0], "f": r.f[:, 0], "g": r.g[:, 0], "o": r.o[:, 0], "c": r.cs[:, 0], "h": r.hs[:, 0]}


def sequence(seed: int = 0) -> np.ndarray:
    """One sequence of the task, ids (T,)."""
    return TASK.batch(1, seed=(EVAL_SEED, seed)).inputs[:, 0]


def _trace(net, n: int, seed):
    batch = TASK.batch(n, seed=seed)
    _, cache = net.forward(batch.inputs)
    return batch, TASK.key_positions(batch.inputs), cache.rnn


def memory_units(net: RecurrentNet, n: int = 512, seed=SELECT_SEED) -> list[int]:
    """Units scoring ≥ MEMORY_SCORE (at least the best one) on (key held right after the key step,
    R²) × (that value kept to the end, correlation)."""
    batch, keys, r = _trace(net, n, seed)
    cols = np.arange(n)
    after, end = r.cs[keys, cols], r.cs[-2]                        # (n, H) each
    labels = batch.targets[-1]
    class_means = np.stack([after[labels == k].mean(0) for k in range(TASK.n_symbols)])
    r2 = class_means[labels].var(0) / (after.var(0) + 1e-12)
    a, e = after - after.mean(0), end - end.mean(0)
    keep = (a * e).sum(0) / np.sqrt((a * a).sum(0) * (e * e).sum(0) + 1e-12)
    score = r2 * np.clip(keep, 0, None)
    return sorted({int(score.argmax())} | {int(u) for u in np.flatnonzero(score >= MEMORY_SCORE)})


def gate_summary(net: RecurrentNet, units, n: int = 512, seed=EVAL_SEED) -> dict[str, float]:
    """Means over held-out sequences, on `units`: input gate at the key and at the other symbols,
    forget gate over the gap (after the key, before "?"), and all units' forget gate over the gap."""
    batch, keys, r = _trace(net, n, seed)
    T, units = TASK.length, list(units)
    steps = np.arange(T)[:, None]
    is_key = steps == keys
    other = (steps < T - 1) & ~is_key & (steps != keys - 1)            # symbols, not the key, marker or "?"
    gap = (steps > keys) & (steps < T - 1)
    i, f = r.i[..., units].mean(-1), r.f[..., units].mean(-1)         # (T, n)
    return {"input_at_key": float(i[is_key].mean()), "input_elsewhere": float(i[other].mean()),
            "forget_over_gap": float(f[gap].mean()), "forget_over_gap_all_units": float(r.f.mean(-1)[gap].mean())}


def load_gates(dtype=np.float64) -> Gates:
    arrays, meta = read_weights(NAME)
    net = build(meta["seed"], GatesRecipe(**meta["recipe"]), dtype)
    net.load_state_dict(arrays)
    return Gates(net, TASK, meta["memory_units"], meta)


def untrained_gates(seed: int = 0, dtype=np.float64) -> RecurrentNet:
    """The same LSTM and initialisation (chrono bias 2), before any training."""
    return build(seed, GatesRecipe(), dtype)


def _measurements(net, units) -> tuple[list[Measurement], dict]:
    s = gate_summary(net, units)
    acc = evaluate(net, TASK, batch_size=512, seed=EVAL_SEED)
    return [Measurement("held-out accuracy", acc, ACCURACY_BAR),
            Measurement(f"forget gate over the gap, memory units {units}", s["forget_over_gap"], FORGET_BAR),
            Measurement("input gate at the key / at other symbols", s["input_at_key"] / s["input_elsewhere"],
                        INPUT_RATIO_BAR)], {**s, "accuracy": acc}


def measure_gates() -> list[Measurement]:
    g = load_gates()
    return _measurements(g.net, g.memory_units)[0]


def retrain_gates(seed: int = 0) -> dict:
    recipe = GatesRecipe()
    t0 = time.perf_counter()
    net, losses = train_gates(seed, recipe)
    seconds = time.perf_counter() - t0
    units = memory_units(net)
    _, results = _measurements(net, units)
    meta = {"config": {"kind": "lstm", "vocab": list(TASK.vocab), "hidden_size": recipe.hidden_size},
            "recipe": asdict(recipe), "seed": seed, "task": asdict(TASK), "memory_units": units,
            "data": "engine.tasks.MarkedSymbolTask(length=24, n_symbols=4): fresh batches per step",
            "eval": {"seed": EVAL_SEED, "n": 512}, "selection": {"seed": SELECT_SEED, "n": 512},
            "results": results, "untrained": gate_summary(untrained_gates(seed), units),
            "final_loss": losses[-1], "train_seconds": round(seconds, 1)}
    save_weights(NAME, net.params, meta)
    return meta


MODELS = [ZooModel(NAME, "LSTM whose gates let in and hold the marked symbol (lesson 05)",
                   load_gates, measure_gates, retrain_gates)]
