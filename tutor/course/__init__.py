"""Course content as data: lesson files parsed into frozen dataclasses."""
from .loader import load_course, read_lesson
from .model import BrokenLesson, Card, Course, Lesson, Predict, Problem, SceneRef, Step
from .parser import parse_lesson

__all__ = ["BrokenLesson", "Card", "Course", "Lesson", "Predict", "Problem", "SceneRef",
           "Step", "load_course", "parse_lesson", "read_lesson"]
