"""Run every benchmark module and print one table.

Each module in SECTIONS exposes `run() -> list[Row]`. Modules measure a
reference in the same run (torch, a bare Textual app, a bare grid) so the
printed ratios mean something on a shared, noisy machine.
"""
from __future__ import annotations

import importlib
import os
import sys

# One BLAS thread for fair comparisons with single-threaded torch.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

from bench.table import print_rows  # noqa: E402

SECTIONS = ["bench.app", "bench.ui", "bench.recurrent", "bench.attention"]


def main(argv: list[str]) -> int:
    wanted = [s for s in SECTIONS if not argv or any(a in s for a in argv)]
    rows = []
    for name in wanted:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        rows.extend(module.run())
    return print_rows(rows)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
