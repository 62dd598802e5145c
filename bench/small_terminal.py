"""Step switches at 80×24, the size a fresh terminal opens at: the course walked as in bench/ui.py.

Its own section, so its own fresh process: the first walk is every step's
first visit at this size (modules imported, widgets styled, models loaded as
the learner meets them), as bench/ui.py's is at 120×40. The bar is the same:
every switch within 100 ms, first visits included.
"""
from __future__ import annotations

import asyncio
import statistics

import numpy as np

from bench.switches import Paints, course_step_times
from bench.table import Row

SIZE = (80, 24)


async def _walk():
    from tutor import startup
    from tutor.app import TutorApp
    from tutor.course import load_course
    from tutor.paths import lessons_dir
    from tutor.store import Store

    course, _ = load_course([lessons_dir()])
    startup.pause()          # as `tutor` starts (tutor/cli.py, and bench/ui.py)
    app = TutorApp(course, Store.memory(), animate=False)
    try:
        async with app.run_test(size=SIZE) as pilot:
            paints = Paints(app)
            await pilot.pause(0.5)
            return await course_step_times(pilot, course, paints)
    finally:
        startup.end()


def run() -> list[Row]:
    warm, first, _idle = asyncio.run(_walk())
    switches = [t for ts in warm.values() for t in ts] + [t for t, _ in first]
    slowest, step = max(first)
    return [Row("every step switch at 80×24, first visits included: slowest", max(switches) * 1e3, "ms",
                f"{len(switches)} switches: median {statistics.median(switches) * 1e3:.0f}, 90th percentile "
                f"{np.percentile(switches, 90) * 1e3:.0f} ms; slowest first visit {step} {slowest * 1e3:.0f} ms",
                None, 100.0, "ms")]
