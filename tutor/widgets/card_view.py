"""CardView: one recall card, its question and (once answered) its answer.

The widget keeps a `CardFace` (plain data) and `card_content` draws it. Card
text and the learner's typed answer are never parsed as markup: everything
goes through `Content(text)`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from tutor.visible import visible

Verdict = Literal["", "right", "wrong"]


@dataclass(frozen=True)
class CardFace:
    heading: str                          # e.g. "Recurrent neural networks · fill the blank"
    question: str
    choices: tuple[str, ...] = ()
    chosen: int | None = None             # the learner's choice, once made
    right_choice: int | None = None       # shown once answered
    given: str | None = None              # what the learner typed, shown back literally
    answer: str | None = None             # revealed answer
    verdict: Verdict = ""
    back: str = ""                        # explanation, shown with the answer
    note: str = ""                        # e.g. "fresh numbers each time"


def card_content(face: CardFace | None) -> Content:
    if face is None:
        return Content("")
    parts = [Content.styled(face.heading, "dim"), Content(""), Content.styled(face.question, "bold")]
    if face.note:
        parts.append(Content.styled(face.note, "dim italic"))
    if face.choices:
        parts.append(Content(""))
        for i, choice in enumerate(face.choices):
            mark = ""
            if face.right_choice is not None:
                mark = "  ✓" if i == face.right_choice else ("  ✗ your answer" if i == face.chosen else "")
            parts.append(Content.assemble((f"  {i + 1}", "bold"), f"  {choice}",
                                          (mark, "bold green" if i == face.right_choice else "bold red")))
    if face.given is not None:
        parts += [Content(""), Content.assemble(("You typed: ", "dim"), visible(face.given))]
    if face.verdict in ("right", "wrong"):
        right = face.verdict == "right"
        parts += [Content(""), Content.styled("✓ Right" if right else "✗ Not quite",
                                              "bold green" if right else "bold red")]
    if face.answer is not None:
        parts += [Content(""), Content.assemble(("Answer: ", "bold"), face.answer)]
    if face.back and (face.answer is not None or face.verdict):
        parts += [Content(""), Content(face.back)]
    return Content("\n").join(parts)


class CardView(Widget):
    DEFAULT_CSS = """
    CardView { height: auto; padding: 0 1; }
    """
    face: reactive[CardFace | None] = reactive(None, layout=True)

    def render(self) -> Content:
        return card_content(self.face)
