"""Exercise generators that evaluate a formula of the course on fresh numbers."""
from __future__ import annotations

import numpy as np

from . import Exercise
from .wording import vector


_CORPUS = "the cat sat on the mat . the dog sat on the log ."


def bigram_prob(seed: int) -> Exercise:
    """An add-one smoothed bigram probability, counted on a tiny corpus."""
    import engine

    rng = np.random.default_rng(seed)
    words = [w.lower() for w in engine.tokenize(_CORPUS)]
    vocab = sorted(set(words))
    prev = str(rng.choice(["the", "sat", "on", "cat"]))
    nxt = str(rng.choice(vocab))
    pair = sum(1 for a, b in zip(words, words[1:]) if (a, b) == (prev, nxt))
    count = sum(1 for a in words[:-1] if a == prev)
    p = (pair + 1) / (count + len(vocab))
    return Exercise(
        f"A bigram model is counted on “{_CORPUS}” ({len(vocab)} distinct tokens, “.” included) with add-one "
        f"smoothing. What is P({nxt} | {prev}), to 3 decimals?",
        round(p, 3), 2e-3,
        f"(count({prev} {nxt}) + 1) / (count({prev}) + V) = ({pair} + 1) / ({count} + {len(vocab)}) = {p:.4f}.")


def forget_decay(seed: int) -> Exercise:
    """What of an LSTM cell survives k steps with the forget gate at f and the input gate shut."""
    import engine

    rng = np.random.default_rng(seed)
    f, k = float(rng.choice([0.5, 0.8, 0.9, 0.95, 0.99])), int(rng.integers(5, 60))
    lstm = engine.LSTM(1, 1)
    for name in lstm.params:
        lstm.params[name][:] = 0.0
    H = 1                                                   # gate rows: i, f, g, o in PyTorch's order
    logit = np.log(f / (1 - f))
    lstm.params["bias_ih"][H:2 * H] = logit                 # forget gate at f
    lstm.params["bias_ih"][:H] = -50.0                      # input gate shut
    _, cache = lstm.forward(np.zeros((k, 1, 1)), (np.zeros((1, 1)), np.ones((1, 1))))
    kept = float(cache.cs[-1, 0, 0])
    return Exercise(
        f"An LSTM cell unit holds c = 1. For the next {k} steps its forget gate stays at {f:g} and its input "
        "gate is shut (0). What is c then, to 3 significant figures?",
        float(f"{kept:.3g}"), 6e-3,
        f"Each step multiplies c by f: {f:g}^{k} = {kept:.4g}.")


def context_entry(seed: int) -> Exercise:
    """One number of a context vector c = Σ_j α_j·h_j."""
    rng = np.random.default_rng(seed)
    S = int(rng.integers(2, 5))
    alpha = rng.dirichlet(np.ones(S))
    alpha = np.round(alpha, 2)
    alpha[-1] = round(1.0 - alpha[:-1].sum(), 2)
    if alpha.min() <= 0:
        alpha = np.full(S, round(1.0 / S, 2))
        alpha[-1] = round(1.0 - alpha[:-1].sum(), 2)
    states = rng.integers(-3, 4, size=(S, 2)).astype(float)    # encoder states h_j, two numbers each
    context = alpha @ states
    d = int(rng.integers(2))
    listed = ", ".join(f"h{j + 1} = {vector(states[j])}" for j in range(S))
    return Exercise(
        f"The attention weights of one decoder step are α = {vector(alpha)} over encoder states {listed}. "
        f"What is number {d + 1} of the context vector c = Σ_j α_j·h_j (to 3 decimals)?",
        float(round(context[d], 3)), 2e-3,
        f"c = {vector(np.round(context, 4))}: the weighted average of the states.")


def warmup_lr(seed: int) -> Exercise:
    """The paper's learning rate d_model^(−0.5)·min(step^(−0.5), step·warmup^(−1.5)), in units of 10⁻⁴."""
    rng = np.random.default_rng(seed)
    d = int(rng.choice([256, 512, 1024]))
    warmup = int(rng.choice([1000, 4000, 8000]))
    step = int(rng.choice([100, 500, 1000, 2000, 4000, 8000, 16000, 50000]))
    lr = d ** -0.5 * min(step ** -0.5, step * warmup ** -1.5)
    phase = ("still warming up" if step < warmup else "the peak, at the end of the warm-up" if step == warmup
             else "past the warm-up, decaying")
    return Exercise(
        f"With lr = d_model^(−0.5) · min(step^(−0.5), step · warmup^(−1.5)), d_model = {d} and warmup = {warmup}: "
        f"what is the learning rate at step {step}, in units of 10⁻⁴ (3 significant figures)?",
        float(f"{lr * 1e4:.3g}"), 6e-3,
        f"lr = {lr:.4g} = {lr * 1e4:.3g} × 10⁻⁴: {phase}.")


def length_norm(seed: int) -> Exercise:
    """A finished hypothesis's normalized score, score / length^α, as beam search ranks it."""
    from engine.decode import beam_search
    from engine.seq_tasks import EOS

    rng = np.random.default_rng(seed)
    length = int(rng.integers(2, 9))                         # tokens, <eos> included
    probs = np.round(rng.uniform(0.3, 0.95, size=length), 2)
    alpha = float(rng.choice([0.5, 0.6, 0.7, 1.0]))

    def log_probs(prefix: np.ndarray) -> np.ndarray:        # one forced path: word 4 again and again, then <eos>
        out = np.full((prefix.shape[1], 5), -np.inf)
        depth = prefix.shape[0] - 1
        out[:, EOS if depth == length - 1 else 4] = np.log(probs[depth])
        return out

    best = beam_search(log_probs, beam_width=1, max_len=length + 1, alpha=alpha).best
    return Exercise(
        f"A finished translation of {length} tokens (<eos> included) has log-probability {best.score:.3f}. "
        f"With length normalization score / length^α and α = {alpha:g}, what is its normalized score "
        "(to 3 decimals)?",
        float(round(best.normalized, 3)), 2e-3,
        f"{best.score:.3f} / {length}^{alpha:g} = {best.normalized:.4f}.")
