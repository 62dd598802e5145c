"""The whole app: first paint of the home screen, and peak memory of a walk through every lesson.

First paint is timed from the moment a fresh process is spawned to the end
of the first refresh of the home screen, with the app drawing into a real
pseudo-terminal (120×40) as it would for a learner. The reference is a bare
Textual app (one Static) timed the same way, alternately run by run, so the
ratio shows what the tutor costs on top of Textual itself.

Peak memory is the peak resident set of one process that opens every
lesson, steps through all of its steps with animation off (answering each
prediction) and lets each scene compute to its last frame (the lesson screen
sets up glibc's malloc as it does for a learner: tutor/malloc.py). The
reference is the peak of a process that only imports Textual and NumPy and
runs a bare app.
"""
from __future__ import annotations

import compileall
import fcntl
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

from bench.table import Row

RUNS = 20
SIZE = (120, 40)
PAINT_BAR = 1.15
MEMORY_BAR_MB = 120.0

# Each child writes time.time() at the end of its first refresh to argv[1], then exits.
BARE_CHILD = """
import sys, time
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("hello")
    def on_mount(self):
        self.call_after_refresh(self.done)
    def done(self):
        open(sys.argv[1], "w").write(repr(time.time()))
        self.exit()

Bare().run()
"""

# The tutor starts as `tutor` does (tutor/cli.py, cmd_app): the course is read, then
# Textual is imported; the hook on the course map goes in at that point, so the
# child imports nothing earlier than the real command would.
TUTOR_CHILD = """
import sys, time
from tutor import cli

read_course = cli._course

def _course():
    course = read_course()
    from tutor.screens import home
    mount = home.HomeScreen.on_mount

    def on_mount(self):
        mount(self)
        self.call_after_refresh(lambda: (open(sys.argv[1], "w").write(repr(time.time())), self.app.exit()))

    home.HomeScreen.on_mount = on_mount
    return course

cli._course = _course
cli.main([])
"""


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass


def first_paint(code: str, env: dict[str, str]) -> float:
    """Seconds from spawning a process to its first painted frame, in a pseudo-terminal."""
    with tempfile.TemporaryDirectory() as tmp:
        stamp = Path(tmp) / "painted"
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        reader = threading.Thread(target=_drain, args=(master,), daemon=True)
        reader.start()
        start = time.time()
        proc = subprocess.Popen([sys.executable, "-c", code, str(stamp)], stdin=slave, stdout=slave,
                                stderr=slave, env=env, start_new_session=True)
        os.close(slave)
        proc.wait(timeout=60)
        os.close(master)
        reader.join(timeout=5)
        if proc.returncode != 0 or not stamp.exists():
            raise RuntimeError(f"first-paint child failed (exit {proc.returncode})")
        return float(stamp.read_text()) - start


def compile_sources() -> None:
    """Byte-compile the tutor as pip does on install. Python would compile it on every
    start where PYTHONDONTWRITEBYTECODE is set (as on this machine), which is not what
    a learner's second start costs; Textual and NumPy, installed by pip, are compiled."""
    root = Path(__file__).resolve().parents[1]
    for package in ("tutor", "engine"):
        compileall.compile_dir(root / package, quiet=1)


def paint_row() -> Row:
    """The tutor as a learner starts it after the first time: its progress store and
    course cache exist (the warm-up run makes them) in the platform's directories
    (found through platformdirs, not TUTOR_HOME), and its code is byte-compiled."""
    compile_sources()
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor",
                   XDG_DATA_HOME=f"{home}/data", XDG_CACHE_HOME=f"{home}/cache")
        env.pop("TUTOR_HOME", None)
        first_paint(BARE_CHILD, env), first_paint(TUTOR_CHILD, env)   # warm the file cache
        bare, tutor = [], []
        for i in range(RUNS):
            # Which of the two goes first alternates: the same bare app run twice in a
            # row differs by up to ±4% by its place alone, on this machine.
            for code, times in ((BARE_CHILD, bare), (TUTOR_CHILD, tutor))[::1 if i % 2 == 0 else -1]:
                times.append(first_paint(code, env))
    b, t = statistics.median(bare), statistics.median(tutor)
    # The ratio is the median of each run's ratio to its neighbouring bare run: the
    # machine's speed drifts over a few seconds here, and neighbours share the drift.
    ratio = statistics.median(y / x for x, y in zip(bare, tutor))
    return Row(f"first paint of the home screen ({SIZE[0]}×{SIZE[1]} pty)", t * 1e3, "ms",
               f"bare Textual app {b * 1e3:.0f} ms", ratio, PAINT_BAR)


WALK_CHILD = """
import asyncio, os, resource, sys
from tutor.app import TutorApp
from tutor.course import load_course
from tutor.paths import lessons_dir
from tutor.screens.lesson import LessonScreen
from tutor.store import Store

async def walk():
    course, problems = load_course([lessons_dir()])
    assert not problems, problems
    app = TutorApp(course, Store.memory(), animate=False)
    steps = 0
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for lesson in course.lessons:
            screen = LessonScreen(lesson, 0)
            await app.push_screen(screen)
            for i in range(len(lesson.steps)):
                if i:
                    screen.action_next()
                if screen.step.predict is not None:
                    screen.action_predict(0)   # the scene waits for the learner's prediction
                while screen.step.scene is not None and not screen.player.complete:
                    await asyncio.sleep(0.02)
                await pilot.pause()
                steps += 1
            app.pop_screen()
            await pilot.pause()
    return steps

steps = asyncio.run(walk())
print(steps, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

BARE_MEMORY_CHILD = """
import asyncio, resource
import numpy
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("hello")

async def main():
    async with Bare().run_test(size=(120, 40)) as pilot:
        await pilot.pause()

asyncio.run(main())
print(0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_memory(code: str) -> tuple[int, float]:
    """(steps walked, peak resident set in MB) of a child process."""
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600,
                             env=dict(os.environ, TUTOR_HOME=tmp, TUTOR_ANIMATION="0"), check=True)
    steps, kilobytes = out.stdout.split()[-2:]
    return int(steps), int(kilobytes) / 1024   # ru_maxrss is in KiB on Linux


def memory_row() -> Row:
    _, bare = peak_memory(BARE_MEMORY_CHILD)
    steps, walk = peak_memory(WALK_CHILD)
    return Row(f"peak memory, every lesson walked ({steps} steps, scenes computed)", walk, "MB",
               f"bare Textual app + NumPy {bare:.0f} MB", walk / bare, MEMORY_BAR_MB, "MB")


def run() -> list[Row]:
    return [paint_row(), memory_row()]


if __name__ == "__main__":
    from bench.table import print_rows

    print_rows(run())
