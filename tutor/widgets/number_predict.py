"""NumberPredict: a numeric prediction, typed, then graded against the engine.

The learner types a number before the scene runs. The step's measure
(tutor/scenes/measures.py) is computed in a worker for the scene's current
values, the guess is graded to the block's tolerance, and the widget shows
the guess, the engine's value and the explanation, then posts Committed so
the screen reveals the scene. Results are kept per key (a lesson step), so
coming back shows the answer rather than the question again. Text the
learner types is parsed as a number, never evaluated, and shown inert.
"""
from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from tutor.course import Predict
from tutor.quiz.numbers import Verdict, check_estimate, parse_tolerance
from tutor.visible import visible

from .plain_input import PlainInput


@dataclass(frozen=True)
class Estimate:
    given: str                  # as typed; "" when the learner asked to see it
    truth: float | None         # None if the engine could not compute it
    verdict: Verdict
    error: str = ""


def show_number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:.3g}" if abs(value) < 1e-3 or abs(value) >= 1e6 else f"{value:.4g}"


def estimate_content(predict: Predict, description: str, result: Estimate | None, note: str = "") -> Content:
    tolerance = parse_tolerance(predict.tolerance)
    lines = [Content.styled(f"Predict: {predict.question}", "bold")]
    if result is None:
        lines.append(Content.styled(f"Type a number and press enter ({tolerance.describe()} counts); "
                                    "the scene then shows the engine's value. → goes on without a guess.",
                                    "dim"))
        if note:
            lines.append(Content.styled(note, "italic"))
        return Content("\n").join(lines)
    if result.truth is None:
        lines.append(Content(f"The engine could not compute it: {result.error}"))
    else:
        said = f"You said {visible(result.given.strip())}. " if result.given.strip() else ""
        verdict = {"right": "Right.", "wrong": f"Not quite ({tolerance.describe()} counts)."}.get(
            result.verdict.status, "Not graded.")
        lines.append(Content.assemble(said, "The engine computed ", (show_number(result.truth), "bold"),
                                      f" ({description}). ", (verdict, "bold")))
    lines.append(Content(predict.explain))
    return Content("\n").join(lines)


class NumberPredict(Vertical):
    DEFAULT_CSS = """
    NumberPredict { height: auto; padding: 1 0 0 0; }
    NumberPredict #estimate-input { margin: 0; width: 30; }
    """

    class Committed(Message):
        """The learner committed (or asked to see the value): reveal the scene."""

        def __init__(self, key: Hashable) -> None:
            super().__init__()
            self.key = key

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.results: dict[Hashable, Estimate] = {}
        self.predict: Predict | None = None
        self.key: Hashable = None
        self.measure = None
        self.values: dict[str, Any] = {}
        self.asked_empty = False
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Static(id="estimate-text")
        yield PlainInput(placeholder="a number, then enter", id="estimate-input", select_on_focus=False)

    def show(self, predict: Predict, key: Hashable, values: dict[str, Any]) -> None:
        from tutor.scenes.measures import MEASURES

        self.predict, self.key, self.values = predict, key, dict(values)
        self.measure = MEASURES[predict.measure]
        self.asked_empty = self.busy = False
        self.query_one("#estimate-input", PlainInput).value = ""
        self.render_state()

    def start_typing(self, text: str) -> None:
        """A key pressed on the lesson (a digit, '.', '-') begins the number in the input."""
        entry = self.query_one("#estimate-input", PlainInput)
        if self.waiting and not self.busy:
            entry.focus()
            entry.insert_text_at_cursor(text)

    @property
    def typed(self) -> str:
        return self.query_one("#estimate-input", PlainInput).value

    def submit(self) -> None:
        entry = self.query_one("#estimate-input", PlainInput)
        entry.focus()
        entry.post_message(Input.Submitted(entry, entry.value))

    @property
    def waiting(self) -> bool:
        return self.predict is not None and self.key not in self.results

    def render_state(self, note: str = "") -> None:
        result = self.results.get(self.key)
        self.query_one("#estimate-text", Static).update(
            estimate_content(self.predict, self.measure.description, result, note))
        self.query_one("#estimate-input", PlainInput).display = result is None

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.asked_empty = False

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.waiting or self.busy:
            return
        verdict = check_estimate(event.value, 0.0, parse_tolerance(self.predict.tolerance))
        if verdict.status == "invalid":
            self.render_state(f"“{visible(event.value)}” {verdict.message} (not graded: try again)")
            return
        if verdict.status == "empty" and not self.asked_empty:
            self.asked_empty = True
            self.render_state("Nothing typed. Press enter again to see the engine's value without a guess.")
            return
        self.busy = True
        self.render_state("The engine is computing it…")
        self.compute(self.key, event.value, self.values)

    @work(thread=True, exclusive=True, group="estimate")
    def compute(self, key: Hashable, given: str, values: dict[str, Any]) -> None:
        try:
            truth = float(self.measure.compute(values))
            result = Estimate(given, truth, check_estimate(given, truth, parse_tolerance(self.predict.tolerance)))
        except Exception as exc:   # a measure that fails must not take the lesson down
            result = Estimate(given, None, Verdict("invalid"), f"{type(exc).__name__}: {exc}")
        self.app.call_from_thread(self.finish, key, result)

    def finish(self, key: Hashable, result: Estimate) -> None:
        self.results[key] = result
        self.busy = False
        if key == self.key and self.is_attached:
            self.render_state()
        self.post_message(self.Committed(key))
