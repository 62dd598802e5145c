"""The course as frozen data: what a lesson file parses into."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a lesson file, at a line (1-based)."""
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        from tutor.visible import visible   # a path or message never carries an escape sequence out

        return visible(f"{self.path}:{self.line}: {self.message}")


@dataclass(frozen=True)
class SceneRef:
    """A step's scene: its id and validated, typed parameters."""
    id: str
    params: tuple[tuple[str, Any], ...]
    line: int

    @property
    def values(self) -> dict[str, Any]:
        return dict(self.params)


@dataclass(frozen=True)
class Predict:
    """Ask the learner to commit to an answer before the step reveals it.

    kind "choice": pick one of `choices`. kind "number": type a number, graded
    against `measure` (tutor/scenes/measures.py) computed for the step's scene
    with its current controls, to `tolerance` (tutor/quiz/numbers.py).
    """
    question: str
    choices: tuple[str, ...]
    answer: int  # index into choices; -1 for a number
    explain: str
    kind: str = "choice"
    measure: str = ""
    tolerance: str = ""


@dataclass(frozen=True)
class Step:
    """One screen of a lesson: its text, the scene it shows and the prediction it asks for, if any."""
    title: str
    body: str               # Markdown, with scene/predict blocks taken out
    scene: SceneRef | None
    predict: Predict | None
    line: int


@dataclass(frozen=True)
class Card:
    """A recall card. `id` is stable: rewording keeps the review history."""
    id: str
    kind: str               # flip | choice | cloze | exercise
    front: str = ""
    back: str = ""
    choices: tuple[str, ...] = ()
    answer: str = ""
    exercise: str = ""      # generator id, for kind == exercise
    params: tuple[tuple[str, Any], ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Lesson:
    """A lesson file parsed: its front matter, steps and recall cards."""
    id: str
    title: str
    summary: str
    order: int
    minutes: int
    steps: tuple[Step, ...]
    cards: tuple[Card, ...]
    path: Path = field(compare=False)
    kind: str = "lesson"    # "orientation": its cards are a run-through after it, never scheduled

    @property
    def orientation(self) -> bool:
        return self.kind == "orientation"


@dataclass(frozen=True)
class BrokenLesson:
    """A lesson file that failed to parse; the app lists it as unavailable."""
    path: Path
    problems: tuple[Problem, ...]
    title: str = ""

    @property
    def file(self) -> str:
        """The file's name, inert: a name may hold control characters too."""
        from tutor.visible import visible

        return visible(self.path.name)

    @property
    def reason(self) -> str:
        from tutor.visible import visible

        first = self.problems[0]
        more = f" (+{len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        return visible(f"line {first.line}: {first.message}{more}")


@dataclass(frozen=True)
class Course:
    """Every lesson in order, and the files that failed to parse."""
    lessons: tuple[Lesson, ...]
    broken: tuple[BrokenLesson, ...] = ()

    def find(self, key: str) -> Lesson | None:
        """A lesson by id or by its order number."""
        for lesson in self.lessons:
            if lesson.id == key or str(lesson.order) == key:
                return lesson
        return None

    def cards(self) -> tuple[Card, ...]:
        return tuple(card for lesson in self.lessons for card in lesson.cards)
