"""The shipped character language models, for the scenes that sample them or read their states.

Loaded on first use (never at start-up) and kept for the process. The
untrained twin of a model is the same architecture with the weights it had
before training (the engine's initialisation, seed 0): what training changed
is the difference between the two.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from engine.language_models import LABELS, from_config, load_lm
from engine.recipes.language_models import weights_file


@dataclass(frozen=True)
class ShippedLM:
    model: object              # start/advance/hidden_states (engine.language_models)
    chars: tuple[str, ...]     # the vocabulary: chars[i] is the character of id i
    label: str                 # "LSTM", or "untrained LSTM"
    meta: dict


@lru_cache(maxsize=8)
def shipped_lm(kind: str, trained: bool = True) -> ShippedLM:
    model, chars, meta = load_lm(weights_file(kind))
    if trained:
        return ShippedLM(model, chars, LABELS[kind], meta)
    return ShippedLM(from_config(meta["config"]), chars, f"untrained {LABELS[kind]}", meta)
