"""Exercise generators for the Transformer: heads, positions, layer norm, masks, training, decoding."""
from __future__ import annotations

import numpy as np

from . import Exercise
from .wording import plural, vector


def pe_value(seed: int) -> Exercise:
    import engine

    rng = np.random.default_rng(seed)
    d_model = int(rng.choice([4, 6, 8, 16]))
    pos, j = int(rng.integers(1, 31)), int(rng.integers(d_model))
    value = float(engine.positional_encoding(pos + 1, d_model)[pos, j])
    two_i = j - j % 2
    angle = pos / 10000 ** (two_i / d_model)
    fn = "sin" if j % 2 == 0 else "cos"
    return Exercise(
        f"Sinusoidal positional encoding with d_model = {d_model}: what is PE({pos}, {j}), the value "
        f"at position {pos} in dimension {j} (both counted from 0, angles in radians), to 3 decimals?",
        float(round(value, 3)), 2e-3,
        f"Dimension {j} is {'even' if fn == 'sin' else 'odd'}, so PE = {fn}({pos} / 10000^({two_i}/{d_model})) "
        f"= {fn}({angle:.4f}) = {value:.4f}")


def layernorm_value(seed: int) -> Exercise:
    import engine

    rng = np.random.default_rng(seed)
    size = int(rng.integers(3, 6))
    x = rng.integers(-5, 6, size=size).astype(float)
    if np.all(x == x[0]):
        x[0] += 2.0
    y, _ = engine.LayerNorm(size).forward(x[None, :])
    j = int(rng.integers(size))
    mean, var = float(x.mean()), float(x.var())
    return Exercise(
        f"Layer normalization with γ = 1 and β = 0 (ε negligible) is applied to x = {vector(x)}. "
        f"What is the normalized value of entry {j + 1} (to 3 decimals)?",
        float(round(y[0, j], 3)), 2e-3,
        f"mean = {mean:.4g}, variance (divided by {size}) = {var:.4g}; "
        f"({x[j]:g} − {mean:.4g}) / √{var:.4g} = {y[0, j]:.4f}")


def mha_params(seed: int) -> Exercise:
    import engine

    rng = np.random.default_rng(seed)
    heads = int(rng.choice([1, 2, 4, 8]))
    E = heads * int(rng.choice([4, 8, 16, 32, 64]))
    count = engine.MultiHeadAttention(E, heads).num_parameters()
    return Exercise(
        f"How many parameters does a multi-head attention layer have with embed_dim {E} and "
        f"{plural(heads, 'head')}: W_q, W_k, W_v and the output projection W_o, each with a bias, "
        "as in PyTorch's nn.MultiheadAttention?",
        count, 0.0,
        f"4·(E·E + E) = 4·({E}·{E} + {E}) = {count}. The number of heads does not change it: "
        f"the heads split E into {plural(heads, 'slice')} of {E // heads}.")


def causal_visible(seed: int) -> Exercise:
    from engine.attention import causal_mask

    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 41))
    visible = ~causal_mask(n)                                # (n, n): True where attention is allowed
    if rng.integers(2):
        t = int(rng.integers(1, n + 1))
        count = int(visible[t - 1].sum())
        return Exercise(
            f"A decoder uses a causal mask over {n} tokens. How many positions may token {t} "
            "(counted from 1) attend to, itself included?",
            count, 0.0, f"Itself and every earlier token: {count}. Later tokens are masked out.")
    count = int(visible.sum())
    return Exercise(
        f"A causal mask over {n} tokens: how many of the {n}×{n} query–key pairs may attend "
        "(are not masked)?",
        count, 0.0, f"Row t allows t positions, so 1 + 2 + … + {n} = {n}·{n + 1}/2 = {count}.")


def beam_candidates(seed: int) -> Exercise:
    rng = np.random.default_rng(seed)
    beam, vocab = int(rng.integers(2, 11)), int(rng.choice([50, 100, 1000, 5000, 32000]))
    hypothesis_scores = np.zeros(beam)                       # log p of each kept hypothesis
    next_scores = np.zeros((beam, vocab))                    # log p of each next word, per hypothesis
    candidates = (hypothesis_scores[:, None] + next_scores).size
    return Exercise(
        f"Beam search with beam width {beam} over a vocabulary of {vocab} words. After the first step, "
        "how many candidate continuations are scored at each step before the best are kept?",
        candidates, 0.0,
        f"Each of the {beam} hypotheses is extended by each of the {vocab} words: {beam}·{vocab} = "
        f"{candidates}; the best {beam} are kept.")


def cross_entropy_value(seed: int) -> Exercise:
    import engine

    rng = np.random.default_rng(seed)
    size = int(rng.integers(3, 6))
    probs = rng.dirichlet(np.ones(size))
    probs = np.round(probs / probs.sum(), 2)
    probs[-1] = round(1.0 - probs[:-1].sum(), 2)
    if probs.min() <= 0:
        probs = np.full(size, round(1.0 / size, 2))
        probs[-1] = round(1.0 - probs[:-1].sum(), 2)
    target = int(rng.integers(size))
    loss, _ = engine.cross_entropy(np.log(probs)[None, :], np.array([target]))
    return Exercise(
        f"The model's next-token probabilities are {vector(probs)} and the correct token is number "
        f"{target + 1}. What is the cross-entropy loss −ln p (to 3 decimals)?",
        round(loss, 3), 2e-3,
        f"−ln {probs[target]:g} = {loss:.4f}. A confident right answer costs little; a confident wrong one costs a lot.")


def head_size(seed: int) -> Exercise:
    import engine

    rng = np.random.default_rng(seed)
    heads = int(rng.choice([2, 4, 6, 8, 12, 16]))
    E = heads * int(rng.choice([16, 32, 64, 128]))
    layer = engine.MultiHeadAttention(E, heads)
    x = np.zeros((1, 1, E))
    _, cache = layer.forward(x, x, x)
    width = int(cache.attn.q.shape[-1])                              # (B, H, L, hd): the engine's own split
    return Exercise(
        f"A multi-head attention layer has d_model = {E} and {plural(heads, 'head')}. How wide is each head's "
        "query, key and value (d_k)?",
        width, 0.0, f"d_model / heads = {E} / {heads} = {width}: the heads split the width, so the cost stays "
        "that of one full-width head.")






def masked_weight(seed: int) -> Exercise:
    from engine.attention import causal_mask, masked_softmax

    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 6))
    t = int(rng.integers(2, n + 1))
    scores = np.round(rng.uniform(-2, 2, size=(n, n)), 1)
    weights = masked_softmax(scores.copy(), causal_mask(n))[t - 1]     # the softmax masks its input in place
    j = int(rng.integers(t))
    return Exercise(
        f"In a decoder's masked self-attention over {n} tokens, token {t}'s scaled scores against tokens 1…{n} are "
        f"{vector(scores[t - 1])}. With the causal mask, what weight does token {t} give token {j + 1} "
        "(to 3 decimals)?",
        float(round(weights[j], 3)), 2e-3,
        f"The mask sets the scores of tokens after {t} to −∞, so the softmax runs over the first {t} only: "
        f"weights {vector(np.round(weights[:t], 4))}; token {j + 1} gets {weights[j]:.4f}.")






def pe_wavelength(seed: int) -> Exercise:
    """How many positions one sine–cosine pair of the encoding takes to repeat, read off the engine's PE."""
    import engine

    rng = np.random.default_rng(seed)
    d = int(rng.choice([8, 16, 32, 64]))
    i = int(rng.integers(0, min(3, d // 2)))
    rate = 10000 ** (2 * i / d)
    length = 2 * np.pi * rate
    pe = engine.positional_encoding(2, d)
    measured = 2 * np.pi / np.arctan2(pe[1, 2 * i], pe[1, 2 * i + 1])    # the angle the pair turns per position
    return Exercise(
        f"In the sinusoidal positional encoding with d_model = {d}, dimensions {2 * i} and {2 * i + 1} are "
        f"sin and cos of pos / 10000^({2 * i}/{d}). After how many positions does this pair repeat "
        "(its wavelength, to 3 significant figures)?",
        float(f"{measured:.3g}"), 6e-3,
        f"The angle grows by 1/10000^({2 * i}/{d}) = 1/{rate:.4g} per position, so it turns a full 2π after "
        f"2π·{rate:.4g} = {length:.4g} positions. Later pairs turn ever more slowly.")
