"""The model zoo's load time: every shipped model read from its file and built, as a scene does
the first time it shows it (the engine's loaders keep no cache, so every load reads the file).

A row per model gives the median load time; the last row, the whole zoo one after another.
The reference is `python -c 'import numpy'` in a fresh process, measured in the same run: what a
first import costs on this machine. Weights load lazily, so none of this is on the
path to the first paint (the first-paint row of bench.app measures that).
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time

from bench.table import Row, median_time

LOAD_BAR_MS = 50.0    # any one model, read and built: half of a step switch's 100 ms budget


def _numpy_import_ms(runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import numpy"], check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def run() -> list[Row]:
    from engine import zoo

    numpy_ms = _numpy_import_ms()
    rows, total = [], 0.0
    for name, model in zoo.models().items():
        ms = median_time(model.load, repeat=7, warmup=1) * 1e3
        total += ms
        rows.append(Row(f"zoo load: {name}", ms, "ms", f"python -c 'import numpy' {numpy_ms:.0f} ms",
                        ms / numpy_ms, LOAD_BAR_MS, "ms"))
    rows.append(Row(f"zoo load: all {len(rows)} models", total, "ms", f"python -c 'import numpy' {numpy_ms:.0f} ms",
                    total / numpy_ms, None))
    return rows
