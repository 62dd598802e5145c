"""Exercise generators for language models: bits per character, perplexity, temperature, top-k."""
from __future__ import annotations

import numpy as np

from . import Exercise
from .wording import vector


def _distribution(rng, size: int) -> np.ndarray:
    """A next-character distribution with two-decimal entries that add up to 1, sorted high to low."""
    while True:
        probs = np.round(rng.dirichlet(np.ones(size)), 2)
        probs[-1] = round(1.0 - probs[:-1].sum(), 2)
        if probs.min() > 0:
            return np.sort(probs)[::-1]


def bits_per_char(seed: int) -> Exercise:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 5))
    probs = np.round(rng.uniform(0.05, 0.9, n), 2)
    bits = float(np.mean(-np.log2(probs)))
    shown = ", ".join(f"{p:g}" for p in probs)
    return Exercise(
        f"A model gave the {n} characters of a held-out text the probabilities {shown}. What are its bits "
        "per character, the mean of −log₂ p (to 3 decimals)?",
        round(bits, 3), 2e-3,
        f"(" + " + ".join(f"−log₂ {p:g}" for p in probs) + f") / {n} = {bits:.4f}; its perplexity is "
        f"2^{bits:.3f} = {2 ** bits:.3f}.")


def temperature_prob(seed: int) -> Exercise:
    from engine.sampling import sampling_distribution

    rng = np.random.default_rng(seed)
    probs = _distribution(rng, int(rng.integers(3, 5)))
    temperature = float(rng.choice([0.5, 2.0]))
    q = sampling_distribution(probs, temperature=temperature)
    return Exercise(
        f"A model's next-character probabilities are {vector(probs)}. Sampled at temperature {temperature:g}, "
        "what probability does the most likely character get (to 3 decimals)?",
        round(float(q[0]), 3), 2e-3,
        f"Each p becomes p^(1/T) = p^{1 / temperature:g}, then they are rescaled to add up to 1: "
        f"{vector(np.round(q, 3))}. {'Below 1 the likely get likelier' if temperature < 1 else 'Above 1 the distribution flattens'}.")


def top_k_prob(seed: int) -> Exercise:
    from engine.sampling import sampling_distribution

    rng = np.random.default_rng(seed)
    probs = _distribution(rng, int(rng.integers(4, 6)))
    k = int(rng.integers(2, len(probs)))
    q = sampling_distribution(probs, top_k=k)
    kept = probs[:k].sum()
    return Exercise(
        f"A model's next-character probabilities are {vector(probs)}. With top_k = {k} (temperature 1), "
        "what probability does the most likely character get (to 3 decimals)?",
        round(float(q[0]), 3), 2e-3,
        f"Only the {k} most likely are kept; they add up to {kept:.2f}, so each is divided by it: "
        f"{probs[0]:g} / {kept:.2f} = {q[0]:.4f}.")

