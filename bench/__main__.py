"""Run every benchmark module and print one table.

Each module in SECTIONS exposes `run() -> list[Row]`. Modules measure a
reference in the same run (torch, a bare Textual app, a bare grid) so the
printed ratios mean something on a shared, noisy machine.

Each section runs in a fresh process: what one leaves behind (a grown heap,
the malloc set-up the lesson screen makes for the app, tutor/malloc.py) must
not change the next one's figures. The engine rows measure the engine as a
library, with the C library's defaults.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor

# One BLAS thread for fair comparisons with single-threaded torch.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

from bench.section import run_section  # noqa: E402
from bench.table import print_rows  # noqa: E402

SECTIONS = ["bench.app", "bench.ui", "bench.small_terminal", "bench.recurrent", "bench.attention", "bench.language_models", "bench.zoo"]


def main(argv: list[str]) -> int:
    wanted = [s for s in SECTIONS if not argv or any(a in s for a in argv)]
    rows = []
    spawn = multiprocessing.get_context("spawn")
    for name in wanted:
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            rows.extend(pool.submit(run_section, name).result())
    return print_rows(rows)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
