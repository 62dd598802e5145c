"""`tutor lessons`: every lesson, its length, the learner's progress and the cards due today."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text


def lessons_table(course, progress: dict, due: dict[str, int]) -> Table:
    """A Rich table: every lesson, its length, the learner's progress and its cards due today."""
    table = Table(box=None, header_style="bold", padding=(0, 1), pad_edge=False)
    table.add_column("#", justify="right")
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("lesson", ratio=1)
    table.add_column("min", justify="right")
    table.add_column("progress")
    table.add_column("due", justify="right")
    for lesson in course.lessons:
        p = progress.get(lesson.id)
        state = Text("not started", style="dim") if p is None else \
            Text(p.describe(), style="green" if p.done else "yellow")
        n_due = due.get(lesson.id, 0)
        table.add_row(str(lesson.order), Text(lesson.id), Text(lesson.title), str(lesson.minutes), state,
                      Text(str(n_due), style="bold cyan") if n_due else "")
    for broken in course.broken:
        table.add_row("✗", "", Text(broken.title or broken.file, style="strike dim"), "",
                      Text(f"unavailable: {broken.file} {broken.reason}", style="red"), "")
    done = sum(1 for lesson in course.lessons if (p := progress.get(lesson.id)) and p.done)
    total_due = sum(due.values())
    table.caption = Text(f"{done} of {len(course.lessons)} lessons done · {total_due} card"
                         f"{'s' if total_due != 1 else ''} due today · tutor LESSON opens one", style="dim")
    return table
