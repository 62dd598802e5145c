"""Small courses for quiz tests, written as real lesson files and parsed."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from tutor.course import Course, load_course

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)   # a Monday morning, the tests' "now"


def card(ident: str, kind: str = "flip", **fields: str) -> str:
    if kind == "flip":
        fields = {"front": f"Question {ident}?", "back": f"Answer {ident}."} | fields
    lines = [f"id: {ident}", f"kind: {kind}"]
    for key, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            lines.append(f"{key}: {item}")
    return "```card\n" + "\n".join(lines) + "\n```\n"


def lesson(ident: str, order: int, cards: list[str], title: str | None = None) -> str:
    return (f"---\nid: {ident}\ntitle: {title or ident.title()}\nsummary: About {ident}.\n"
            f"order: {order}\nminutes: 5\n---\n\n## Only step\n\nSome text.\n\n## Cards\n\n"
            + "\n".join(cards))


def write_course(directory: Path, lessons: dict[str, str]) -> Course:
    directory.mkdir(parents=True, exist_ok=True)
    for name in list(p.name for p in directory.glob("*.md")):
        if name not in lessons:
            (directory / name).unlink()
    for name, text in lessons.items():
        (directory / name).write_text(text, encoding="utf-8")
    course, problems = load_course([directory])
    assert not problems, problems
    return course
