"""PredictView: a step's prediction question, its numbered choices, and the verdict."""
from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from tutor.course import Step


def predict_content(step: Step, chosen: int | None, width: int | None = None) -> Content:
    """The question, its numbered choices, and the verdict once one is chosen.

    Given a width, a choice that wraps continues under its own text (a hanging
    indent), not under its number.
    """
    p = step.predict
    lines = [Content.styled(f"Predict: {p.question}", "bold")]
    for i, choice in enumerate(p.choices):
        mark = ""
        if chosen is not None:
            mark = "  ✓" if i == p.answer else ("  ✗ your answer" if i == chosen else "")
        number = Content.assemble((f"  {i + 1}", "bold"), "  ")
        text = Content.assemble(choice, (mark, "bold"))
        if width is None or width <= number.cell_length + 10:
            lines.append(number + text)
            continue
        for k, part in enumerate(text.wrap(width - number.cell_length)):
            lines.append((number if k == 0 else Content(" " * number.cell_length)) + part)
    if chosen is None:
        then = " The scene then shows the engine's answer." if step.scene else ""
        lines.append(Content.styled(f"Press a number to commit to an answer.{then}", "dim"))
    else:
        verdict = "Right." if chosen == p.answer else "Not quite."
        lines.append(Content.assemble((verdict + " ", "bold"), p.explain))
    return Content("\n").join(lines)


class PredictView(Widget):
    """The step's prediction, laid out for the width it has."""

    DEFAULT_CSS = "PredictView { height: auto; padding: 1 0 0 0; }"
    state: reactive[tuple[Step, int | None] | None] = reactive(None, layout=True)

    def render(self) -> Content:
        if self.state is None:
            return Content("")
        return predict_content(*self.state, self.content_region.width or None)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self.state is None:
            return 1
        return len(predict_content(*self.state, width).wrap(max(width, 1)))
