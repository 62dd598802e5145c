"""Exercise generators for attention: softmax, scores, shapes, sizes, costs, context vectors."""
from __future__ import annotations

import numpy as np

from . import Exercise
from .wording import plural, signed, vector


def softmax_entry(seed: int) -> Exercise:
    from engine.functional import softmax

    rng = np.random.default_rng(seed)
    size = int(rng.integers(3, 6))
    z = np.round(rng.uniform(-2, 3, size=size), 1)
    k = int(rng.integers(size))
    p = softmax(z)
    total = float(np.exp(z).sum())
    return Exercise(
        f"z = {vector(z)}. What is softmax(z)_{k + 1}, the weight of entry {k + 1} "
        "(to 3 decimals)?",
        float(round(p[k], 3)), 2e-3,
        f"softmax(z)_{k + 1} = e^{z[k]:g} / Σ_j e^z_j = {np.exp(z[k]):.4f} / {total:.4f} = {p[k]:.4f}")


def attention_weight(seed: int) -> Exercise:
    import engine

    rng = np.random.default_rng(seed)
    keys, dim = int(rng.integers(2, 5)), int(rng.integers(2, 4))
    q = rng.integers(-2, 3, size=dim).astype(float)
    if not q.any():
        q[0] = 1.0
    K = rng.integers(-2, 3, size=(keys, dim)).astype(float)
    _, cache = engine.scaled_dot_product_attention(q[None, :], K, np.zeros((keys, 1)))
    weights = cache.weights[0]                               # (keys,)
    sizable = np.flatnonzero(weights >= 0.05)              # ask about a weight worth computing
    j = int(rng.choice(sizable)) if sizable.size else int(np.argmax(weights))
    scores = K @ q / np.sqrt(dim)
    listed = ", ".join(f"k{i + 1} = {vector(K[i])}" for i in range(keys))
    return Exercise(
        f"A query q = {vector(q)} attends over {listed} (d_k = {dim}). What is the attention "
        f"weight on k{j + 1}, softmax(q·kᵢ/√d_k) (to 3 decimals)?",
        float(round(weights[j], 3)), 2e-3,
        f"The scores q·kᵢ/√{dim} are {vector(np.round(scores, 4))}; their softmax is "
        f"{vector(np.round(weights, 4))}, so the weight on k{j + 1} is {weights[j]:.4f}.")


def qk_shape(seed: int) -> Exercise:
    rng = np.random.default_rng(seed)
    n, d_k = int(rng.integers(2, 13)), int(rng.choice([8, 16, 32, 64]))
    cross = bool(rng.integers(2))
    m = int(rng.integers(2, 13)) if cross else n
    if cross and m == n:
        m = n + 1
    Q, K = np.zeros((n, d_k)), np.zeros((m, d_k))
    shape = (Q @ K.T).shape                                  # (n, m)
    if cross:
        question = (f"A decoder with {n} tokens attends over an encoder output of {m} tokens "
                    f"(d_k = {d_k}). What is the shape of the score matrix QKᵀ (one head, one sentence)?")
    else:
        question = (f"Self-attention over a sequence of {n} tokens with d_k = {d_k}. What is the shape "
                    "of the score matrix QKᵀ (one head, one sentence)?")
    answer = "×".join(str(s) for s in shape)
    return Exercise(question, answer, 0.0,
                    f"Q is {n}×{d_k} and Kᵀ is {d_k}×{m}, so QKᵀ is {answer}: one score for each "
                    "query–key pair; d_k is summed away.")


def attention_matrix_size(seed: int) -> Exercise:
    rng = np.random.default_rng(seed)
    n = int(rng.choice([256, 512, 1024, 2048, 4096, 8192]))
    if rng.integers(2):
        entries = int(np.prod((n, n), dtype=np.int64))
        return Exercise(
            f"Self-attention over {n} tokens: how many numbers are in one head's attention weight "
            "matrix for one sentence?",
            entries, 0.0, f"One weight per pair of positions: {n}×{n} = {entries}. It grows with n².")
    heads = int(rng.choice([1, 8, 12, 16]))
    size = np.dtype(np.float32).itemsize * heads * n * n / 2**20
    return Exercise(
        f"A layer with {plural(heads, 'attention head')} attends over {n} tokens and keeps its attention weights "
        "in float32 (4 bytes each). How many MiB (2²⁰ bytes) do that layer's weight matrices take "
        "for one sentence?",
        float(size), 1e-3, f"{heads}·{n}·{n}·4 bytes = {size:g} MiB; doubling n quadruples it.")
