"""The exercise generators. Every answer is computed by the engine, never typed in."""
from __future__ import annotations

import numpy as np

from . import Exercise
from .wording import plural, signed, vector


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
    "RNN": "W_xh, W_hh and both bias vectors, as in PyTorch",
    "LSTM": "four gates, each with W_xh, W_hh and two biases, as in PyTorch",
    "GRU": "reset gate, update gate and candidate, each with W_xh, W_hh and two biases, as in PyTorch",
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
        state, row = f"h_(t−1) = {vector(h_prev[0])}", f"row 1 of W_hh = {vector(w_hh)}"
    recurrent = " + ".join(f"{signed(w)}·{signed(v)}" for w, v in zip(w_hh, h_prev[0]))
    return Exercise(
        f"An RNN with {plural(hidden, 'hidden unit')} has {state} and reads x_t = {x[0, 0, 0]:g}. For unit 1, "
        f"{row}, W_xh = {w_xh:g} and b = {b:g}. What is unit 1 of h_t = tanh(W_hh·h_(t−1) + W_xh·x_t + b) "
        "(to 3 decimals)?",
        float(round(value, 3)), 2e-3,
        f"W_hh·h_(t−1) = {recurrent} = {float(w_hh @ h_prev[0]):.4f}; adding {signed(w_xh)}·{signed(x[0, 0, 0])} "
        f"+ {signed(b)} gives {pre:.4f}, and tanh({pre:.4f}) = {value:.4f}.")


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
        f"A stack of {plural(layers, '1-D convolution layer')} over words, each with kernel size {k}, {how}. "
        "How many consecutive input words can one output position see (its receptive field)?",
        width, 0.0, f"{rule} = {width}: each layer widens the view by (k − 1) times its dilation.")


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


def lstm_cell(seed: int) -> Exercise:
    """The cell update with the gate values an engine LSTM computes for one unit."""
    import engine

    rng = np.random.default_rng(seed)
    model = engine.LSTM(1, 1, seed=seed)
    c_prev = float(np.round(rng.uniform(-2, 2), 2))
    x = rng.uniform(-2, 2, size=(1, 1, 1))
    _, cache = model.forward(x, (np.zeros((1, 1)), np.full((1, 1), c_prev)))
    f, i, g = (float(np.round(getattr(cache, name)[0, 0, 0], 3)) for name in ("f", "i", "g"))
    value = f * c_prev + i * g
    return Exercise(
        f"One LSTM unit has cell state c_(t−1) = {c_prev:g}. At this step its forget gate is f_t = {f:g}, its "
        f"input gate i_t = {i:g} and its candidate g_t = {g:g}. What is the new cell state c_t "
        "= f_t·c_(t−1) + i_t·g_t (to 3 decimals)?",
        float(round(value, 3)), 2e-3,
        f"{f:g}·{signed(c_prev)} + {i:g}·{signed(g)} = {f * c_prev:.4f} + {signed(round(i * g, 4))} = {value:.4f}: the forget "
        "gate scales what is kept, the input gate what is written; nothing squashes the sum.")


def rnn_memory(seed: int) -> Exercise:
    """How many hidden-state numbers backpropagation through time keeps: the engine's own cache."""
    import engine

    rng = np.random.default_rng(seed)
    T, H = int(rng.integers(20, 301)), int(rng.choice([16, 32, 64, 128, 256]))
    _, cache = engine.RNN(4, H, seed=seed).forward(np.zeros((T, 1, 4)))
    kept = int(cache.hs.size)
    return Exercise(
        f"An RNN with hidden size {H} is trained on one sequence of {T} tokens. How many hidden-state numbers "
        "must it keep from the forward pass for backpropagation through time (h_1 … h_T, one sequence)?",
        kept, 0.0,
        f"{T} states of {H} numbers: {T}·{H} = {kept}. Training memory grows with the length n; at inference "
        "only the latest state is needed, so memory stays constant in n.")
