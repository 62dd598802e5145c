"""The profile behind engine.attention._matmul: whole products against halves of their rows.

    python -m bench.matmul_shapes            # float32, the engine's sizes
    python -m bench.matmul_shapes float64

For each of attention's three kinds of product (batch 8) it times np.matmul on
the whole stack against the same product done as two halves of its rows, a
transposed right operand first copied to row-major, alternating the two run
by run; for the kind whose right operand is transposed it also times the
copy to row-major alone. A ratio below 1 means the variant was faster. Not
part of `make bench`: it is the measurement that set _HALVES_MNK, kept to
re-check it on another machine or another OpenBLAS.
"""
from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

BATCH = 8
SIZES = (32, 64, 128, 256, 512)
WIDTHS = (16, 32, 64)


def row_major(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b with b copied to row-major first."""
    return np.matmul(a, np.ascontiguousarray(b))


def halves(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b as two halves of its rows, b made row-major first (what _matmul does in its range)."""
    if b.strides[-2] < b.strides[-1]:
        b = np.ascontiguousarray(b)
    out = np.empty((*a.shape[:-1], b.shape[-1]), dtype=a.dtype)
    half = a.shape[-2] // 2
    np.matmul(a[..., :half, :], b, out=out[..., :half, :])
    np.matmul(a[..., half:, :], b, out=out[..., half:, :])
    return out


def products(n: int, d: int, dtype, rng) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Attention's products at length n and width d, as views like the engine's."""
    q, k, v = (rng.standard_normal((BATCH, n, d)).astype(dtype) for _ in range(3))
    p = rng.random((BATCH, n, n)).astype(dtype)
    return {
        "QKᵀ, dO·Vᵀ": (q, k.swapaxes(-1, -2)),   # (n, d)·(d, n), right operand transposed
        "P·V, dS·K": (p, v),                     # (n, n)·(n, d)
        "Pᵀ·dO, dSᵀ·Q": (p.swapaxes(-1, -2), q),  # left operand transposed
    }


def paired(a, b, runs: int = 200) -> tuple[float, float]:
    for fn in (a, b):
        for _ in range(5):
            fn()
    ta, tb = [], []
    for _ in range(runs):
        for fn, times in ((a, ta), (b, tb)):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    return statistics.median(ta), statistics.median(tb)


def main(argv: list[str]) -> int:
    dtype = np.dtype(argv[0] if argv else "float32")
    rng = np.random.default_rng(0)
    print(f"{dtype}, batch {BATCH}: whole np.matmul in µs, then halves/whole")
    names = list(products(2, 2, dtype, rng))
    names.insert(1, "row-major")
    print(f"{'n':>4} {'d':>3} {'M·N·K':>9}  " + "  ".join(f"{name:>22}" for name in names))
    for n in SIZES:
        for d in WIDTHS:
            cells = []
            for i, (a, b) in enumerate(products(n, d, dtype, rng).values()):
                whole, split = paired(lambda: np.matmul(a, b), lambda: halves(a, b))
                cells.append(f"{whole * 1e6:9.1f} µs  {split / whole:5.2f}×")
                if i == 0:
                    whole, copied = paired(lambda: np.matmul(a, b), lambda: row_major(a, b))
                    cells.append(f"{copied / whole:5.2f}×")
            print(f"{n:>4} {d:>3} {n * n * d:>9}  " + "  ".join(f"{c:>22}" for c in cells), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
