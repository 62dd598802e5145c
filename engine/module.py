"""A minimal parameter container shared by every layer and model.

Parameters live in ``self.params`` under PyTorch's names, so a state dict
copied out of torch loads as is, and gradient dicts use the same keys.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np


class Module:
    params: dict[str, np.ndarray]

    def state_dict(self) -> dict[str, np.ndarray]:
        """A copy of every parameter, keyed like PyTorch's state_dict."""
        return {k: v.copy() for k, v in self.params.items()}

    def load_state_dict(self, state: Mapping[str, np.ndarray]) -> None:
        """Load arrays (NumPy or anything array-like, e.g. torch tensors)."""
        missing = self.params.keys() - state.keys()
        extra = state.keys() - self.params.keys()
        if missing or extra:
            raise KeyError(f"state dict mismatch: missing {sorted(missing)}, unexpected {sorted(extra)}")
        for name, current in self.params.items():
            value = np.asarray(state[name], dtype=current.dtype)
            if value.shape != current.shape:
                raise ValueError(f"{name}: expected shape {current.shape}, got {value.shape}")
            current[...] = value  # in place: optimizers keep references

    def parameters(self) -> dict[str, np.ndarray]:
        """The live parameter arrays (optimizers update them in place)."""
        return self.params

    def num_parameters(self) -> int:
        return sum(int(p.size) for p in self.params.values())


def uniform(rng: np.random.Generator, shape: tuple[int, ...], bound: float, dtype) -> np.ndarray:
    """U(-bound, bound), PyTorch's default for recurrent and linear layers."""
    return rng.uniform(-bound, bound, size=shape).astype(dtype)


def nested_params(children: Mapping[str, Module]) -> dict[str, np.ndarray]:
    """The live parameters of child modules under dotted names ("norm1.weight")."""
    return {f"{name}.{k}": v for name, child in children.items() for k, v in child.params.items()}


def prefixed(prefix: str, grads: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """A child's gradient dict renamed into its parent's namespace."""
    return {f"{prefix}.{k}": g for k, g in grads.items()}


def recurrent_params(input_size: int, hidden_size: int, gates: int, seed: int, dtype) -> dict[str, np.ndarray]:
    """A single-layer recurrent module's parameters, laid out and drawn as in PyTorch.

    `gates` blocks of H rows are stacked (1 for RNN, 4 for LSTM: i, f, g, o;
    3 for GRU: r, z, n), each entry U(−1/√H, 1/√H).
    """
    rng = np.random.default_rng(seed)
    k = 1.0 / np.sqrt(hidden_size)
    G = gates * hidden_size
    return {
        "weight_ih": uniform(rng, (G, input_size), k, dtype),
        "weight_hh": uniform(rng, (G, hidden_size), k, dtype),
        "bias_ih": uniform(rng, (G,), k, dtype),
        "bias_hh": uniform(rng, (G,), k, dtype),
    }
