"""Heads that specialise: a two-layer causal attention-only Transformer trained
on sequences made of a random segment shown twice (zoo model ``induction``).

    data:   s_1 … s_L s_1 … s_L    L drawn per batch from 6..14, the L tokens
            distinct, drawn from 32 symbols; next-token prediction everywhere.

The first half cannot be predicted (loss near log 32); the second half can,
by looking back at what followed the earlier copy of the current token. The
two-layer circuit of Olsson et al. (2022) does it: a previous-token head
(layer 0) writes "the token before me" into each position, and an induction
head (layer 1) attends from the current token to the position whose previous
token matches it — the token that came next last time. L varies, so no fixed
offset can stand in for that search.

Scores, per head, on held-out sequences (drawn with EVAL_SEED):
- previous-token score: mean attention weight on position i−1 (i ≥ 1);
- induction score: mean weight, over the repeated half (i ≥ L), on position
  i−L+1, the token after the earlier occurrence of token i.
Each head is named by its measured score (meta["heads"]). Bars: both scores
≥ 0.5, and loss on the repeated half ≤ 0.2 × loss on the first half.

API: load_induction() -> Induction (model, meta, previous_token=(layer, head),
induction=(layer, head)); repeated_sequence(L, seed) ids; attention_maps(model,
ids) (layers, heads, T, T); previous_token_score / induction_score (per head);
half_losses(model); untrained_induction(seed).
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import numpy as np

from ..attention_only import AttentionOnlyConfig, AttentionOnlyTransformer
from ..functional import log_softmax
from ..losses import cross_entropy
from ..train import train_adam
from ..zoo_entry import Measurement, ZooModel, read_weights, save_weights

NAME = "induction"
VOCAB, MIN_L, MAX_L = 32, 6, 14
EVAL_SEED, SELECT_SEED = 9090, 4242   # held-out sequences; those that pick the seed
SEEDS = (0, 1, 2, 3)  # tried in order; the first whose heads reach the bars on SELECT_SEED's sequences ships
EVAL_LENGTHS = (6, 8, 10, 12, 14)
EVAL_CHUNK = 25      # held-out sequences a forward reads at a time
LOSS_RATIO_BAR, SCORE_BAR = 0.2, 0.5


@dataclass(frozen=True)
class InductionRecipe:
    steps: int = 1500
    batch_size: int = 64
    lr: float = 3e-3
    clip: float = 1.0
    warmup: int = 100
    d_model: int = 32
    nhead: int = 2
    num_layers: int = 2


@dataclass
class Induction:
    model: AttentionOnlyTransformer
    meta: dict
    previous_token: tuple[int, int]   # (layer, head)
    induction: tuple[int, int]


def repeated_batch(batch_size: int, L: int, seed) -> np.ndarray:
    """ids (2L, B): each column a segment of L distinct symbols, then the same again."""
    rng = np.random.default_rng(seed)
    seg = np.argsort(rng.random((batch_size, VOCAB)), axis=1)[:, :L].T  # (L, B), distinct per column
    return np.concatenate([seg, seg])


def repeated_sequence(L: int = 10, seed: int = 0) -> np.ndarray:
    """One sequence of ids (2L,), a segment of L distinct symbols shown twice."""
    return repeated_batch(1, L, seed)[:, 0]


def config(r: InductionRecipe) -> AttentionOnlyConfig:
    return AttentionOnlyConfig(VOCAB, r.d_model, r.nhead, r.num_layers, 2 * MAX_L, causal=True)


def train_induction(seed: int = 0, recipe: InductionRecipe = InductionRecipe(), steps: int | None = None,
                    callback=None, dtype=np.float32) -> tuple[AttentionOnlyTransformer, list[float]]:
    model = AttentionOnlyTransformer(config(recipe), seed=seed, dtype=dtype)

    def loss_and_grads(step: int):
        L = int(np.random.default_rng((seed, step, 1)).integers(MIN_L, MAX_L + 1))
        ids = repeated_batch(recipe.batch_size, L, (seed, step))
        logits, cache = model.forward(ids[:-1])
        loss, d_logits = cross_entropy(logits, ids[1:])
        return loss, model.backward(d_logits, cache)

    steps = recipe.steps if steps is None else steps
    return model, train_adam(model, loss_and_grads, steps, recipe.lr, recipe.clip, recipe.warmup, callback)


def attention_maps(model: AttentionOnlyTransformer, ids: np.ndarray) -> np.ndarray:
    """(layers, heads, T, T) attention of one sequence of ids."""
    return model.attention(np.asarray(ids))


def previous_token_score(weights: np.ndarray) -> np.ndarray:
    """weights (..., T, T) -> (...): mean weight on position i−1, over i ≥ 1."""
    T = weights.shape[-1]
    return weights[..., np.arange(1, T), np.arange(T - 1)].mean(-1)


def induction_score(weights: np.ndarray, L: int) -> np.ndarray:
    """weights (..., 2L, 2L) -> (...): mean weight, over i ≥ L, on i−L+1 (after the earlier copy of token i)."""
    i = np.arange(L, weights.shape[-1])
    return weights[..., i, i - L + 1].mean(-1)


def _eval(model, n: int = 100, seed: int = EVAL_SEED):
    """Per eval length: (ids (2L, n), attention (n, layers, heads, T−1, T−1), log-probs of the next tokens)."""
    for L in EVAL_LENGTHS:
        ids = repeated_batch(n, L, (seed, L))
        weights, logps = [], []
        for lo in range(0, n, EVAL_CHUNK):   # a forward's cache for all n at once peaked at 21 MB
            part = ids[:, lo:lo + EVAL_CHUNK]
            logits, cache = model.forward(part[:-1])
            logps.append(np.take_along_axis(log_softmax(logits, axis=-1), part[1:, :, None], axis=-1)[..., 0])
            weights.append(np.stack(cache.weights, axis=1))
            del logits, cache
        yield L, np.concatenate(weights), np.concatenate(logps, axis=1)


def head_scores(model, seed: int = EVAL_SEED) -> tuple[np.ndarray, np.ndarray]:
    """(previous-token, induction) scores of every head, (layers, heads) each, on held-out sequences."""
    prev, ind = [], []
    for L, w, _ in _eval(model, seed=seed):
        prev.append(previous_token_score(w).mean(0))
        ind.append(induction_score(w, L).mean(0))
    return np.mean(prev, axis=0), np.mean(ind, axis=0)


def half_losses(model, seed: int = EVAL_SEED) -> tuple[float, float]:
    """Mean next-token loss predicting the first half's tokens 2..L, and the repeated half's 2..L."""
    first, second = [], []
    for L, _, logp in _eval(model, seed=seed):
        first.append(-logp[:L - 1].mean())      # targets ids[1:L]
        second.append(-logp[L:].mean())          # targets ids[L+1:2L]
    return float(np.mean(first)), float(np.mean(second))


def name_heads(model, seed: int = EVAL_SEED) -> dict:
    """The previous-token head and the induction head: each the head with the highest score."""
    prev, ind = head_scores(model, seed)
    p = np.unravel_index(int(prev.argmax()), prev.shape)
    q = np.unravel_index(int(ind.argmax()), ind.shape)
    return {"previous_token": {"layer": int(p[0]), "head": int(p[1]), "score": float(prev[p])},
            "induction": {"layer": int(q[0]), "head": int(q[1]), "score": float(ind[q])},
            "previous_token_scores": prev.round(4).tolist(), "induction_scores": ind.round(4).tolist()}


def load_induction(dtype=np.float64) -> Induction:
    arrays, meta = read_weights(NAME)
    model = AttentionOnlyTransformer(AttentionOnlyConfig(**meta["config"]), dtype=dtype)
    model.load_state_dict(arrays)
    h = meta["heads"]
    return Induction(model, meta, (h["previous_token"]["layer"], h["previous_token"]["head"]),
                     (h["induction"]["layer"], h["induction"]["head"]))


def untrained_induction(seed: int = 0, dtype=np.float64) -> AttentionOnlyTransformer:
    """The same architecture with random weights."""
    return AttentionOnlyTransformer(config(InductionRecipe()), seed=seed, dtype=dtype)


def measure_induction() -> list[Measurement]:
    ind = load_induction()
    prev, induct = head_scores(ind.model)
    first, second = half_losses(ind.model)
    return [Measurement(f"previous-token score of head {ind.previous_token}", float(prev[ind.previous_token]),
                        SCORE_BAR),
            Measurement(f"induction score of head {ind.induction}", float(induct[ind.induction]), SCORE_BAR),
            Measurement("loss repeated half / first half", second / first, LOSS_RATIO_BAR, "<=")]


def reaches_bars(model, seed: int = SELECT_SEED) -> bool:
    h = name_heads(model, seed)
    first, second = half_losses(model, seed)
    return (min(h["previous_token"]["score"], h["induction"]["score"]) >= SCORE_BAR
            and second <= LOSS_RATIO_BAR * first)


def retrain_induction() -> dict:
    """Train SEEDS in order; ship the first that reaches the bars on the selection sequences.

    Some seeds find another route to the same loss: a layer-0 head that
    attends to the earlier copy of the current token and passes on its
    position (no previous-token head); those are skipped, and meta says so."""
    recipe = InductionRecipe()
    skipped = []
    for seed in SEEDS:
        t0 = time.perf_counter()
        model, losses = train_induction(seed, recipe)
        seconds = time.perf_counter() - t0
        if reaches_bars(model):
            break
        skipped.append(seed)
    first, second = half_losses(model)
    meta = {"config": asdict(model.config), "recipe": asdict(recipe), "seed": seed,
            "seeds_skipped": skipped, "selection": {"seed": SELECT_SEED},
            "data": f"a segment of L distinct symbols (of {VOCAB}) shown twice, L in {MIN_L}..{MAX_L} per batch; "
                    "next-token loss at every position",
            "eval": {"seed": EVAL_SEED, "lengths": list(EVAL_LENGTHS), "per_length": 100},
            "heads": name_heads(model),
            "results": {"loss_first_half": first, "loss_repeated_half": second, "ratio": second / first},
            "final_loss": losses[-1], "train_seconds": round(seconds, 1)}
    save_weights(NAME, model.params, meta)
    return meta


MODELS = [ZooModel(NAME, "two-layer attention-only Transformer with a previous-token and an induction head (lesson 09)",
                   load_induction, measure_induction, retrain_induction)]
