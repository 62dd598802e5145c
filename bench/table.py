"""One row format for every benchmark, and timing helpers."""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    name: str
    value: float        # what was measured (ms, MB, s or a ratio)
    unit: str
    reference: str      # what it is compared with, measured in the same run
    ratio: float | None  # value / reference, when there is one
    bar: float | None   # the target the value (or ratio, if given) must meet; None: shown for information
    bar_kind: str = "ratio"  # "ratio" or the unit of value

    @property
    def ok(self) -> bool:
        if self.bar is None:
            return True
        measured = self.ratio if self.bar_kind == "ratio" else self.value
        return measured is not None and measured <= self.bar


def median_time(fn: Callable[[], object], repeat: int = 15, warmup: int = 3) -> float:
    """Median wall time of fn() in seconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def print_rows(rows: list[Row]) -> int:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="tutor benchmarks (medians; ratios against a same-run reference)")
    for col in ("benchmark", "measured", "reference", "ratio", "bar", "ok"):
        table.add_column(col)
    for r in rows:
        bar = "—" if r.bar is None else f"≤ {r.bar:g}×" if r.bar_kind == "ratio" else f"≤ {r.bar:g} {r.bar_kind}"
        ratio = "" if r.ratio is None else f"{r.ratio:.2f}×"
        table.add_row(r.name, f"{r.value:.3g} {r.unit}", r.reference, ratio, bar,
                      "info" if r.bar is None else "yes" if r.ok else "NO")
    Console().print(table)
    return 0
