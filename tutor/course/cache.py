"""The parsed course, kept as JSON between starts, so the course map paints sooner.

Parsing the sixteen lessons and checking their scenes and exercises against
the registries costs about 25 ms of a start (bench/app.py); reading this file
back costs a few. The cache is only a copy: its key covers every lesson file
and every module whose code decides what a lesson parses into (name, size and
modification time), so an edited lesson or a changed parser is parsed afresh.
Anything wrong with the file (missing, unreadable, another version, not JSON,
an unknown type) means the lessons are parsed as if it were not there; a
directory that cannot be written to just means no cache. JSON, read back into
an allow-list of the course's own dataclasses: nothing in it is executed.

`tutor check` never uses it: it always parses.
"""
from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterable
from pathlib import Path

from .model import BrokenLesson, Card, Course, Lesson, Predict, Problem, SceneRef, Step

FORMAT = 1
CLASSES = {cls.__name__: cls for cls in (BrokenLesson, Card, Course, Lesson, Predict, Problem, SceneRef, Step)}
# modules whose code decides what a lesson file parses into
SOURCES = ("course", "scenes/registry.py", "scenes/measures.py", "params.py", "exercises", "quiz/numbers.py")


def key(files: Iterable[Path]) -> str:
    """What the cached course was made from: every input's name, size and mtime, as text
    (compared whole: no digest, whose import alone costs more than the comparison)."""
    package = Path(__file__).resolve().parents[1]
    inputs = list(files)
    for source in SOURCES:
        path = package / source
        inputs.extend(sorted(path.glob("*.py")) if path.is_dir() else [path])
    lines = [f"format {FORMAT}"]
    for path in inputs:
        stat = path.stat()
        lines.append(f"{path.resolve()} {stat.st_size} {stat.st_mtime_ns}")
    return "\n".join(lines)


def _encode(value):
    if dataclasses.is_dataclass(value):
        return {"@": type(value).__name__,
                **{f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, tuple):
        return {"@": "tuple", "items": [_encode(v) for v in value]}
    if isinstance(value, Path):
        return {"@": "Path", "path": str(value)}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")   # lists, dicts: not in the model


def _decode(obj: dict):
    kind = obj.pop("@")
    if kind == "tuple":
        return tuple(obj["items"])
    if kind == "Path":
        return Path(obj["path"])
    return CLASSES[kind](**obj)   # KeyError for anything not on the list


def write(path: Path, cache_key: str, course: Course, problems: list[Problem]) -> None:
    """Keep the course for the next start; quietly nothing if that cannot be done."""
    try:
        text = json.dumps({"key": cache_key, "course": _encode(course),
                           "problems": _encode(tuple(problems))}, ensure_ascii=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)        # another tutor starting at once reads all or nothing
    except (OSError, TypeError, ValueError):
        pass


def read(path: Path, cache_key: str) -> tuple[Course, list[Problem]] | None:
    """The cached course if it was made from exactly these inputs, else None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"), object_hook=_decode_hook)
        if data["key"] != cache_key or not isinstance(data["course"], Course):
            return None
        return data["course"], list(data["problems"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _decode_hook(obj: dict):
    return _decode(obj) if "@" in obj else obj


def load_course_cached(paths: list[Path], cache_file: Path) -> tuple[Course, list[Problem]]:
    """load_course(paths), from the cache when it was made from these very files."""
    from .loader import lesson_files, load_course

    try:
        cache_key = key(lesson_files(paths))
    except OSError:                       # a lesson file went away meanwhile: just parse
        return load_course(paths)
    cached = read(cache_file, cache_key)
    if cached is not None:
        return cached
    course, problems = load_course(paths)
    write(cache_file, cache_key, course, problems)
    return course, problems
