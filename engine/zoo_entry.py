"""What a zoo entry is, and its weights file: the names every recipe module imports.

``ZooModel`` and ``Measurement`` are described in engine/zoo.py (the registry
and its convention). The weights of model NAME live in
``engine/weights/NAME.npz``: ``save_weights(name, params, meta)`` writes the
parameters (float32, or float16 with ``dtype=np.float16``; keys are the
model's state_dict names) and ``meta`` as a JSON string; ``read_weights(name)``
reads them back with ``allow_pickle=False``; ``read_meta(name)`` only the meta.

Recipe modules import from here, never from engine.zoo, which imports them.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

WEIGHTS = Path(__file__).parent / "weights"


@dataclass(frozen=True)
class Measurement:
    """One measured figure and its bar: ok when `value op bar` (op ">=" or "<=")."""
    metric: str
    value: float
    bar: float
    op: str = ">="

    @property
    def ok(self) -> bool:
        if not np.isfinite(self.value):
            return False
        return self.value >= self.bar if self.op == ">=" else self.value <= self.bar

    def describe(self) -> str:
        return f"{self.metric} {self.value:.3f} (bar {self.op} {self.bar:g})"


@dataclass(frozen=True)
class ZooModel:
    name: str
    summary: str
    load: Callable[..., object]
    measure: Callable[[], list[Measurement]]
    retrain: Callable[[], dict]

    @property
    def path(self) -> Path:
        return weights_path(self.name)


def weights_path(name: str) -> Path:
    return WEIGHTS / f"{name}.npz"


def save_weights(name: str, params: Mapping[str, np.ndarray], meta: dict, dtype=np.float32) -> Path:
    """Write engine/weights/<name>.npz: the parameters (cast to dtype) and the JSON meta."""
    WEIGHTS.mkdir(exist_ok=True)
    path = weights_path(name)
    arrays = {key: np.asarray(p).astype(dtype) for key, p in params.items()}
    if "meta" in arrays:
        raise ValueError("a parameter may not be called 'meta'")
    np.savez_compressed(path, meta=np.array(json.dumps(meta, sort_keys=True)), **arrays)
    return path


def read_weights(name: str) -> tuple[dict[str, np.ndarray], dict]:
    """(parameters, meta) of engine/weights/<name>.npz, read without pickle."""
    with np.load(weights_path(name), allow_pickle=False) as data:
        return {k: data[k] for k in data.files if k != "meta"}, json.loads(str(data["meta"]))


def read_meta(name: str) -> dict:
    with np.load(weights_path(name), allow_pickle=False) as data:
        return json.loads(str(data["meta"]))


def subset(params: Mapping[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    """The arrays under `prefix.` with the prefix taken off (one file holding two models)."""
    head = prefix + "."
    return {k[len(head):]: v for k, v in params.items() if k.startswith(head)}
