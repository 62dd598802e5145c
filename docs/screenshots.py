"""Regenerate the README's pictures from the real app, so they stay current.

    .venv/bin/python docs/screenshots.py          # writes docs/images/*.svg

Each picture is a fresh TutorApp on the shipped lessons, driven headless
with animation off (every scene shows its final frame) and a throwaway
progress store seeded with a learner halfway through the course.
"""
from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
sys.path.insert(0, str(ROOT))
os.environ["TUTOR_ANIMATION"] = "0"
os.environ.pop("NO_COLOR", None)

from tutor import srs  # noqa: E402
from tutor.app import TutorApp  # noqa: E402
from tutor.course import Course, load_course  # noqa: E402
from tutor.paths import lessons_dir  # noqa: E402
from tutor.store import Review, Reviewed, Store, StoredCard  # noqa: E402
from tutor.widgets.heatmap import Heatmap  # noqa: E402

WIDE = (120, 34)      # the lesson's side-by-side layout starts at 110 columns
NARROW = (100, 30)


def seed_progress(store: Store, course: Course) -> None:
    """Four lessons done, the fifth half read, and their first cards reviewed a month ago (due now)."""
    scheduler = srs.Scheduler(fuzz=False)
    start = datetime.now(timezone.utc) - timedelta(days=30)
    for lesson in course.lessons[:4]:
        store.mark_done(lesson.id, len(lesson.steps))
        for card in lesson.cards[:2]:
            state, when, reps = None, start, 0
            for _ in range(2):   # Good, then Good again when due: a card in review
                outcome = scheduler.review(card.id, state, srs.FORMAT if state else None, 3, when)
                reps += 1
                stored = StoredCard(card.id, lesson.id, srs.FORMAT, outcome.state, outcome.due, reps, start)
                review = Review(card.id, lesson.id, when, 3, outcome.state_before, None, outcome.due)
                store.record_review(card.id, lambda _, c=stored, r=review: Reviewed(c, r))
                state, when = outcome.state, outcome.due
    current = course.lessons[4]
    store.save_step(current.id, len(current.steps) // 2, len(current.steps))


async def wait_for_scene(pilot) -> None:
    screen = pilot.app.screen
    for _ in range(200):
        await pilot.pause(0.05)
        if getattr(screen, "complete", True) and getattr(screen, "frames", True):
            break
    await pilot.pause(0.2)


def step_showing(course: Course, lesson_id: str, scene_id: str) -> tuple:
    """The lesson and the index of its first step that shows the scene."""
    lesson = course.find(lesson_id)
    return lesson, next(i for i, step in enumerate(lesson.steps) if step.scene and step.scene.id == scene_id)


async def shoot(name: str, size: tuple[int, int], course: Course, home: Path, drive) -> Path:
    store = Store.open(home / f"{name}.sqlite3")
    store.set_setting("quiz.fuzz", "off")
    seed_progress(store, course)
    app = TutorApp(course, store, animate=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await drive(pilot)
        await pilot.pause(0.2)
        path = Path(app.save_screenshot(f"{name}.svg", str(IMAGES)))
    store.close()
    return path


async def home_screen(pilot) -> None:
    pass


async def lesson(pilot) -> None:
    app = pilot.app
    app.open_lesson(*step_showing(app.course, "rnn", "rnn_unroll"))
    await wait_for_scene(pilot)


async def attention(pilot) -> None:
    app = pilot.app
    app.open_lesson(*step_showing(app.course, "self-attention", "self_attention"))
    await wait_for_scene(pilot)
    grid = app.screen.query_one(Heatmap)
    grid.focus()                      # the cursor reads one weight: "it" looking at "animal"
    await pilot.pause()
    labels = grid.grid.row_labels
    for _ in range(labels.index("it")):
        await pilot.press("down")
    await pilot.press("right")


async def quiz(pilot) -> None:
    app = pilot.app
    app.open_quiz(app.course.find("rnn"))
    await pilot.pause(0.3)
    await pilot.press("space")        # the answer, and the four grades with their next intervals
    await pilot.pause(0.2)


async def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    course, problems = load_course([lessons_dir()])
    if problems:
        sys.exit(f"fix the lessons first (tutor check): {problems[0]}")
    with tempfile.TemporaryDirectory() as home:
        os.environ["TUTOR_HOME"] = home
        for name, size, drive in [("home", NARROW, home_screen), ("lesson", WIDE, lesson),
                                  ("attention", WIDE, attention), ("quiz", NARROW, quiz)]:
            print(await shoot(name, size, course, Path(home), drive))


if __name__ == "__main__":
    asyncio.run(main())
