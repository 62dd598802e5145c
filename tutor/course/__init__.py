"""Course content as data: lesson files parsed into frozen dataclasses.

The parser is imported when first used: a start with the course cached
(tutor/course/cache.py) needs only the dataclasses.
"""
from .model import BrokenLesson, Card, Course, Lesson, Predict, Problem, SceneRef, Step

__all__ = ["BrokenLesson", "Card", "Course", "Lesson", "Predict", "Problem", "SceneRef",
           "Step", "load_course", "parse_lesson", "read_lesson"]

_LAZY = {"load_course": "loader", "read_lesson": "loader", "parse_lesson": "parser"}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
