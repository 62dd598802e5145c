"""Exercise generators that count: multiplications, weights, parameters and cached numbers.

Every answer is counted by the engine (or from the shapes of the arrays it uses), never typed in.
"""
from __future__ import annotations

import numpy as np

from . import Exercise


def rnn_step_cost(seed: int) -> Exercise:
    """Multiplications in one RNN step: each weight of W_xh and W_hh is used once."""
    import engine

    rng = np.random.default_rng(seed)
    I, H = int(rng.choice([8, 16, 32, 64])), int(rng.choice([32, 64, 128, 256]))
    p = engine.RNN(I, H).params
    count = int(p["weight_ih"].size + p["weight_hh"].size)
    return Exercise(
        f"One step of an RNN with input size {I} and hidden size {H} computes W_hh·h_(t−1) + W_xh·x_t. "
        "How many multiplications is that?",
        count, 0.0,
        f"W_hh·h_(t−1) is {H}·{H} = {H * H} and W_xh·x_t is {H}·{I} = {H * I}: {count}, every weight once, "
        "and the next step must wait for them.")


def layer_cost(seed: int) -> Exercise:
    """Vaswani et al. 2017, Table 1: n²·d for a self-attention layer, n·d² for a recurrent one."""
    rng = np.random.default_rng(seed)
    n, d = int(rng.choice([16, 64, 128, 512, 2048, 8192])), int(rng.choice([64, 256, 512, 1024]))
    X = np.zeros((n, d))
    attention = (X @ X.T).size * d                           # every score is a d-long dot product
    recurrent = n * np.zeros((d, d)).size                    # n steps of a d×d matrix-vector product
    ratio = attention / recurrent
    cheaper = "self-attention" if ratio < 1 else "the recurrent layer" if ratio > 1 else "neither"
    return Exercise(
        f"Per layer, self-attention costs about n²·d multiply-adds and a recurrent layer n·d². With n = {n} "
        f"tokens and d = {d}, what is self-attention's cost divided by the recurrent layer's?",
        float(ratio), 1e-3,
        f"{n}²·{d} / ({n}·{d}²) = n/d = {ratio:g}: {cheaper} is cheaper. Attention wins whenever n < d.")


def head_weights(seed: int) -> Exercise:
    import engine

    rng = np.random.default_rng(seed)
    heads, n = int(rng.choice([2, 4, 8, 12, 16])), int(rng.integers(3, 40))
    x = np.zeros((n, 1, 4 * heads))
    _, cache = engine.MultiHeadAttention(4 * heads, heads).forward(x, x, x)
    count = int(cache.weights.size)
    return Exercise(
        f"A multi-head attention layer with {heads} heads reads {n} tokens (one sentence). How many attention "
        "weights does it compute?",
        count, 0.0, f"Each head has its own {n} × {n} grid: {heads}·{n}² = {count}.")


def embedding_params(seed: int) -> Exercise:
    import engine

    rng = np.random.default_rng(seed)
    vocab, d = int(rng.choice([1000, 8000, 32000, 50000])), int(rng.choice([64, 256, 512, 768]))
    tied = bool(rng.integers(2))
    table = engine.Embedding(vocab, d).num_parameters()
    count = table if tied else 2 * table
    how = ("tied: the output layer reuses the embedding table" if tied else
           "not tied: the output layer has a matrix of its own")
    return Exercise(
        f"A model has a vocabulary of {vocab} tokens and d_model = {d}. Its input embedding and its output layer "
        f"(d_model → vocabulary, no bias) are {how}. How many parameters do the two hold together?",
        count, 0.0,
        f"One table is {vocab}·{d} = {table}; " + ("shared, it counts once." if tied else f"two make {count}."))


def ffn_params(seed: int) -> Exercise:
    import engine

    rng = np.random.default_rng(seed)
    d = int(rng.choice([64, 128, 256, 512, 768]))
    d_ff = d * int(rng.choice([2, 4]))
    count = engine.FeedForward(d, d_ff).num_parameters()
    return Exercise(
        f"How many parameters does a position-wise feed-forward network with d_model = {d} and d_ff = {d_ff} "
        "hold (two linear layers with biases)?",
        count, 0.0, f"{d}·{d_ff} + {d_ff} + {d_ff}·{d} + {d} = {count}.")


def kv_cache_size(seed: int) -> Exercise:
    rng = np.random.default_rng(seed)
    layers, d, n = int(rng.choice([2, 6, 12, 24])), int(rng.choice([64, 256, 512, 1024])), int(rng.integers(10, 500))
    per_layer = [np.zeros((n, d)), np.zeros((n, d))]        # the keys and the values of n tokens
    count = layers * sum(a.size for a in per_layer)
    return Exercise(
        f"A decoder-only model with {layers} layers and d_model = {d} has generated {n} tokens. How many numbers "
        "does its key–value cache hold for that sequence?",
        count, 0.0, f"Each layer keeps a key and a value of {d} numbers per token: {layers}·2·{n}·{d} = {count}.")
