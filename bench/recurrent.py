"""Recurrent models, forward + backward, NumPy engine against torch CPU.

T=200, B=32, I=32, H=64, float32, one thread each. The two sides are timed
alternately, run by run, so load from other processes hits both alike.
"""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np

from bench.table import Row

T, B, I, H = 200, 32, 32, 64
BARS = {"RNN": 0.4, "GRU": 0.6, "LSTM": 2.0}
REPEAT, WARMUP = 40, 5


def engine_step(name: str) -> Callable[[], object]:
    import engine

    model = getattr(engine, name)(I, H, seed=0, dtype=np.float32)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((T, B, I)).astype(np.float32)
    d_out = rng.standard_normal((T, B, H)).astype(np.float32)

    def step():
        _, cache = model.forward(x)
        return model.backward(d_out, cache)
    return step


def torch_step(name: str) -> Callable[[], object] | None:
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = getattr(torch.nn, name)(I, H)
    x = torch.randn(T, B, I, requires_grad=True)
    d_out = torch.randn(T, B, H)

    def step():
        model.zero_grad(set_to_none=True)
        x.grad = None
        out, _ = model(x)
        out.backward(d_out)
    return step


def paired_medians(a: Callable[[], object], b: Callable[[], object] | None) -> tuple[float, float | None]:
    """Median seconds of a() and b(), alternating the two run by run."""
    times_a, times_b = [], []
    for k in range(WARMUP + REPEAT):
        for fn, times in ((a, times_a), (b, times_b)):
            if fn is None:
                continue
            t0 = time.perf_counter()
            fn()
            if k >= WARMUP:
                times.append(time.perf_counter() - t0)
    return statistics.median(times_a), (statistics.median(times_b) if times_b else None)


def run() -> list[Row]:
    rows = []
    for name in ("RNN", "LSTM", "GRU"):
        ours, ref = paired_medians(engine_step(name), torch_step(name))
        rows.append(Row(
            name=f"{name} fwd+bwd T={T} B={B} H={H} f32",
            value=ours * 1e3, unit="ms",
            reference="torch not installed" if ref is None else f"torch {ref * 1e3:.3g} ms",
            ratio=None if ref is None else ours / ref,
            bar=BARS[name],
        ))
    return rows
