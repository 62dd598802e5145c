"""Drawing text from a language model: temperature, top-k, top-p (nucleus) and a seed.

    p = next_token_distribution(model, prefix_ids)                  # (V,) probabilities
    q = sampling_distribution(p, temperature=0.8, top_k=10, top_p=0.9)  # what is drawn from
    ids = sample(model, prefix_ids, n=100, temperature=0.8, seed=0)

`model` is any language model with start(prefix) / advance(state, id)
returning log-probabilities (engine.language_models). Temperature 0 is greedy:
the most likely token every time (ties to the lowest id), whatever the seed.
The same seed gives the same sample. top_k keeps the k most likely tokens;
top_p keeps the smallest set of most likely tokens whose probability reaches
p (always at least one); both apply after temperature, and the kept
probabilities are renormalised.
"""
from __future__ import annotations

import numpy as np


def next_token_distribution(model, prefix_ids) -> np.ndarray:
    """p(next token | prefix) as float64 probabilities summing to 1, (V,)."""
    log_probs, _ = model.start(prefix_ids)
    return _probs(log_probs)


def _probs(log_probs: np.ndarray) -> np.ndarray:
    p = np.exp(log_probs - log_probs.max())
    return p / p.sum()


def sampling_distribution(probs: np.ndarray, temperature: float = 1.0, top_k: int | None = None,
                          top_p: float | None = None) -> np.ndarray:
    """The distribution a draw uses: probs reshaped by temperature, then cut by top_k and
    top_p and renormalised. Temperature 0 puts all the mass on the argmax."""
    probs = np.asarray(probs, dtype=np.float64)
    if temperature < 0:
        raise ValueError("temperature must be ≥ 0")
    if top_k is not None and top_k < 1:
        raise ValueError("top_k must be ≥ 1")
    if top_p is not None and not 0 < top_p <= 1:
        raise ValueError("top_p must be in (0, 1]")
    if temperature == 0:
        q = np.zeros_like(probs)
        q[int(np.argmax(probs))] = 1.0
        return q
    with np.errstate(divide="ignore"):
        logits = np.log(probs) / temperature
    q = np.exp(logits - logits.max())
    q /= q.sum()
    order = np.argsort(-q, kind="stable")  # most likely first, ties by id
    keep = np.ones(len(q), dtype=bool)
    if top_k is not None:
        keep[order[top_k:]] = False
    if top_p is not None:
        cum = np.cumsum(q[order])
        n = int(np.searchsorted(cum, top_p - 1e-12)) + 1  # the smallest head reaching top_p
        keep[order[n:]] = False
    q = np.where(keep, q, 0.0)
    return q / q.sum()


def sample(model, prefix_ids, n: int, temperature: float = 1.0, top_k: int | None = None,
           top_p: float | None = None, seed: int = 0) -> np.ndarray:
    """n token ids drawn one at a time after prefix_ids (at least one id)."""
    prefix = np.asarray(prefix_ids, dtype=np.int64).reshape(-1)
    if prefix.size == 0:
        raise ValueError("sampling needs a prefix of at least one token")
    rng = np.random.default_rng(seed)
    out = np.empty(n, dtype=np.int64)
    if n == 0:
        return out
    log_probs, state = model.start(prefix)
    for t in range(n):
        q = sampling_distribution(_probs(log_probs), temperature, top_k, top_p)
        token = int(np.argmax(q)) if temperature == 0 else int(rng.choice(len(q), p=q))
        out[t] = token
        if t + 1 < n:
            log_probs, state = model.advance(state, token)
    return out


def sample_text(model, vocab, prefix: str, n: int, **kwargs) -> str:
    """sample() on strings: the n characters after `prefix` (vocab: a charlm.CharVocab)."""
    return vocab.decode(sample(model, vocab.encode(prefix), n, **kwargs))
