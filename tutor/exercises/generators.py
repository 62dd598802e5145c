"""The exercise generators. Every answer is computed by the engine, never typed in."""
from __future__ import annotations

import numpy as np

from . import Exercise


def _sizes(seed: int) -> tuple[int, int]:
    rng = np.random.default_rng(seed)
    return int(rng.integers(2, 65)), int(rng.integers(2, 129))


def _recurrent_params(model: str, gates: int, what: str, seed: int) -> Exercise:
    """The parameter count of a recurrent layer, counted by the engine."""
    import engine

    I, H = _sizes(seed)
    count = getattr(engine, model)(I, H).num_parameters()
    terms = (f"H·I + H·H + 2H = {H}·{I} + {H}·{H} + 2·{H}" if gates == 1 else
             f"{gates}·(H·I + H·H + 2H) = {gates}·({H}·{I} + {H}·{H} + 2·{H})")
    return Exercise(
        f"How many parameters does {what} have with input size {I} and hidden size {H} ({_PARAMS_NOTE[model]})?",
        count, 0.0, f"{terms} = {count}")


_PARAMS_NOTE = {
    "RNN": "W_ih, W_hh and both bias vectors, as in PyTorch",
    "LSTM": "four gates, each with W_ih, W_hh and two biases, as in PyTorch",
    "GRU": "reset gate, update gate and candidate, each with W_ih, W_hh and two biases, as in PyTorch",
}


def rnn_params(seed: int) -> Exercise:
    return _recurrent_params("RNN", 1, "a vanilla RNN layer", seed)


def lstm_params(seed: int) -> Exercise:
    return _recurrent_params("LSTM", 4, "an LSTM layer", seed)


def gru_params(seed: int) -> Exercise:
    return _recurrent_params("GRU", 3, "a GRU layer", seed)


def rnn_step(seed: int, hidden: int) -> Exercise:
    """One recurrent step from a non-zero h_{t−1}: W_hh·h_{t−1} enters, a dot product over `hidden` units."""
    import engine

    rng = np.random.default_rng(seed)
    model = engine.RNN(1, hidden, seed=seed)
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):      # round so the question shows them exactly
        model.params[name][...] = np.round(model.params[name], 2)
    model.params["bias_hh"][...] = 0.0                                  # one bias b, as the lesson writes it
    h_prev = np.round(rng.uniform(-0.9, 0.9, size=(1, hidden)), 2)
    h_prev[np.abs(h_prev) < 0.1] = 0.3                                 # every unit of h_{t−1} counts
    x = np.round(rng.uniform(-2, 2, size=(1, 1, 1)), 1)
    h, cache = model.forward(x, h_prev)
    w_hh, w_xh, b = model.params["weight_hh"][0], model.params["weight_ih"][0, 0], model.params["bias_ih"][0]
    value, pre = float(h[0, 0, 0]), float(cache.pre[0, 0, 0])
    if hidden == 1:
        state, row = f"h_(t−1) = {h_prev[0, 0]:g}", f"W_hh = {w_hh[0]:g}"
    else:
        state, row = f"h_(t−1) = {_vector(h_prev[0])}", f"row 1 of W_hh = {_vector(w_hh)}"
    recurrent = " + ".join(f"{_signed(w)}·{_signed(v)}" for w, v in zip(w_hh, h_prev[0]))
    return Exercise(
        f"An RNN with {_plural(hidden, 'hidden unit')} has {state} and reads x_t = {x[0, 0, 0]:g}. For unit 1, "
        f"{row}, W_xh = {w_xh:g} and b = {b:g}. What is unit 1 of h_t = tanh(W_hh·h_(t−1) + W_xh·x_t + b) "
        "(to 3 decimals)?",
        float(round(value, 3)), 2e-3,
        f"W_hh·h_(t−1) = {recurrent} = {float(w_hh @ h_prev[0]):.4f}; adding {_signed(w_xh)}·{_signed(x[0, 0, 0])} "
        f"+ {_signed(b)} gives {pre:.4f}, and tanh({pre:.4f}) = {value:.4f}.")


def _signed(v) -> str:
    """A number for a worked sum: negatives in parentheses, so '+ (−0.39)' reads."""
    return f"({float(v):g})" if v < 0 else f"{float(v):g}"


def grad_norm_after_k(seed: int) -> Exercise:
    rng = np.random.default_rng(seed)
    H = int(rng.integers(3, 9))
    s = float(rng.choice([0.5, 0.6, 0.7, 0.8, 0.9, 1.1, 1.2, 1.3, 1.5]))
    k = int(rng.integers(3, 13))
    W_hh = s * np.eye(H)
    dh = rng.normal(size=H)                                  # ∂L/∂h_t, any direction
    dh_k = np.linalg.matrix_power(W_hh.T, k) @ dh            # ∂L/∂h_{t−k} with tanh′ = 1
    factor = float(np.linalg.norm(dh_k) / np.linalg.norm(dh))
    answer = float(f"{factor:.4g}")
    trend = "vanishes" if s < 1 else "explodes"
    return Exercise(
        f"An RNN with hidden size {H} has W_hh = {s:g}·I. Treat tanh′ as 1 (small activations). "
        f"Backpropagating through {k} steps multiplies the norm of ∂L/∂h by what factor "
        "(3 significant figures)?",
        answer, 6e-3 * min(1.0, abs(answer)),
        f"∂L/∂h_(t−{k}) = (W_hhᵀ)^{k}·∂L/∂h_t = {s:g}^{k}·∂L/∂h_t, so the factor is "
        f"{s:g}^{k} = {factor:.4g}: the gradient {trend} geometrically with the distance.")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _vector(values) -> str:
    return "(" + ", ".join(f"{float(v):g}" for v in values) + ")"


def softmax_entry(seed: int) -> Exercise:
    from engine.functional import softmax

    rng = np.random.default_rng(seed)
    size = int(rng.integers(3, 6))
    z = np.round(rng.uniform(-2, 3, size=size), 1)
    k = int(rng.integers(size))
    p = softmax(z)
    total = float(np.exp(z).sum())
    return Exercise(
        f"z = {_vector(z)}. What is softmax(z)_{k + 1}, the weight of entry {k + 1} "
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
    listed = ", ".join(f"k{i + 1} = {_vector(K[i])}" for i in range(keys))
    return Exercise(
        f"A query q = {_vector(q)} attends over {listed} (d_k = {dim}). What is the attention "
        f"weight on k{j + 1}, softmax(q·kᵢ/√d_k) (to 3 decimals)?",
        float(round(weights[j], 3)), 2e-3,
        f"The scores q·kᵢ/√{dim} are {_vector(np.round(scores, 4))}; their softmax is "
        f"{_vector(np.round(weights, 4))}, so the weight on k{j + 1} is {weights[j]:.4f}.")


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
        f"Layer normalization with γ = 1 and β = 0 (ε negligible) is applied to x = {_vector(x)}. "
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
        f"{_plural(heads, 'head')}: W_q, W_k, W_v and the output projection W_o, each with a bias, "
        "as in PyTorch's nn.MultiheadAttention?",
        count, 0.0,
        f"4·(E·E + E) = 4·({E}·{E} + {E}) = {count}. The number of heads does not change it: "
        f"the heads split E into {_plural(heads, 'slice')} of {E // heads}.")


def receptive_field(seed: int) -> Exercise:
    rng = np.random.default_rng(seed)
    layers, k = int(rng.integers(1, 7)), int(rng.choice([2, 3, 5]))
    dilated = bool(rng.integers(2))
    dilations = [2 ** n if dilated else 1 for n in range(layers)]
    seen = np.zeros(1)
    seen[0] = 1.0                                            # one output position
    for d in dilations:                                      # walk back down the stack
        kernel = np.zeros((k - 1) * d + 1)
        kernel[::d] = 1.0
        seen = np.convolve(seen, kernel)
    hit = np.flatnonzero(seen)
    width = int(hit[-1] - hit[0] + 1)
    how = (f"dilations {', '.join(map(str, dilations))} (doubling per layer)" if dilated
           else "stride 1 and no dilation")
    rule = "1 + (k − 1)·Σ dilations" if dilated else "1 + L·(k − 1)"
    return Exercise(
        f"A stack of {_plural(layers, '1-D convolution layer')} over words, each with kernel size {k}, {how}. "
        "How many consecutive input words can one output position see (its receptive field)?",
        width, 0.0, f"{rule} = {width}: each layer widens the view by (k − 1) times its dilation.")


def attention_matrix_size(seed: int) -> Exercise:
    rng = np.random.default_rng(seed)
    n = int(rng.choice([256, 512, 1024, 2048, 4096, 8192]))
    if rng.integers(2):
        entries = int(np.prod((n, n), dtype=np.int64))
        return Exercise(
            f"Self-attention over {n} tokens: how many numbers are in one head's attention weight "
            "matrix for one sentence?",
            entries, 0.0, f"One weight per query–key pair: {n}×{n} = {entries}. It grows with n².")
    heads = int(rng.choice([1, 8, 12, 16]))
    size = np.dtype(np.float32).itemsize * heads * n * n / 2**20
    return Exercise(
        f"A layer with {_plural(heads, 'attention head')} attends over {n} tokens and keeps its attention weights "
        "in float32 (4 bytes each). How many MiB (2²⁰ bytes) do that layer's weight matrices take "
        "for one sentence?",
        float(size), 1e-3, f"{heads}·{n}·{n}·4 bytes = {size:g} MiB; doubling n quadruples it.")


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


_NGRAM_SENTENCES = (
    "the dog bites the man",
    "the cat sat on the mat",
    "I love robots and robots love me",
    "to be or not to be",
    "the man bites the dog and the dog runs",
    "a rose is a rose is a rose",
)


def ngram_count(seed: int) -> Exercise:
    import engine

    rng = np.random.default_rng(seed)
    sentence = _NGRAM_SENTENCES[int(rng.integers(len(_NGRAM_SENTENCES)))]
    n = int(rng.integers(1, 3))
    words = [w.lower() for w in engine.tokenize(sentence)]
    grams = {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}
    kind = "distinct words (the bag-of-words vocabulary)" if n == 1 else "distinct bigrams (pairs of neighbouring words)"
    shown = ", ".join(" ".join(g) for g in sorted(grams))
    return Exercise(f"How many {kind} does “{sentence}” have, ignoring case?",
                    len(grams), 0.0, f"They are: {shown}.")


def tanh_slope(seed: int) -> Exercise:
    from engine.functional import tanh_grad_from_output

    rng = np.random.default_rng(seed)
    a = float(np.round(rng.uniform(-3.5, 3.5), 1))
    slope = float(tanh_grad_from_output(np.tanh(np.array([a])))[0])
    return Exercise(f"What is tanh′(a) = 1 − tanh²(a) at a = {a:g}, to 3 decimals?",
                    round(slope, 3), 2e-3,
                    f"tanh({a:g}) = {np.tanh(a):.4f}, so 1 − {np.tanh(a):.4f}² = {slope:.4f}. "
                    "Far from 0 the slope is tiny: the unit is saturated.")


def clip_factor(seed: int) -> Exercise:
    import engine

    rng = np.random.default_rng(seed)
    grads = {"weight_hh": np.round(rng.uniform(-8, 8, size=(2, 2)), 1)}
    max_norm = float(rng.choice([1.0, 2.0, 5.0]))
    before = engine.global_norm(grads)
    engine.clip_grad_norm(grads, max_norm)
    after = engine.global_norm(grads)
    factor = after / before if before else 1.0
    return Exercise(
        f"A gradient has global norm {before:.3f}. It is clipped to a maximum norm of {max_norm:g}. "
        "By what factor is every entry multiplied (to 3 decimals)?",
        round(factor, 3), 2e-3,
        f"min(1, {max_norm:g} / {before:.3f}) = {factor:.4f}: the direction stays, only the length shrinks.")


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
        f"The model's next-token probabilities are {_vector(probs)} and the correct token is number "
        f"{target + 1}. What is the cross-entropy loss −ln p (to 3 decimals)?",
        round(loss, 3), 2e-3,
        f"−ln {probs[target]:g} = {loss:.4f}. A confident right answer costs little; a confident wrong one costs a lot.")
