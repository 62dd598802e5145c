"""The lesson parser's block readers: predictions and recall cards.

A mixin of tutor/course/parser.py's _Parser (which supplies error, fields,
typed_params and the registries' lookups); kept apart so each module stays
small. Nothing here is executed: values are read and checked, never run.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Card, Predict

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
CLOZE_RE = re.compile(r"\{\{(.+?)\}\}")
CARD_FIELDS = {
    "flip": ({"front", "back"}, {"id", "kind", "front", "back"}),
    "choice": ({"front", "choice", "answer"}, {"id", "kind", "front", "choice", "answer", "back"}),
    "cloze": ({"text"}, {"id", "kind", "text", "back"}),
    "exercise": ({"exercise"}, None),  # other keys are the exercise's parameters
}


@dataclass
class Block:
    kind: str
    line: int                          # the opening fence
    entries: list[tuple[str, str, int]] = field(default_factory=list)  # key, value, line


class BlockReaders:
    def predict(self, block: Block) -> Predict | None:
        values, lines, lists = self.fields(block, {"choice"})
        kind = values.pop("kind", "choice")
        if kind == "number":
            return self.number_predict(block, values, lines, lists)
        if kind != "choice":
            self.error(lines["kind"], f"predict kind must be choice or number, got {kind!r}")
            return None
        choices = lists.get("choice", [])
        ok = True
        for key in ("question", "answer", "explain"):
            if key not in values:
                self.error(block.line, f"predict block needs {key!r}")
                ok = False
        for key in values.keys() - {"question", "answer", "explain"}:
            self.error(lines[key], f"unknown key {key!r} in predict block")
        if len(choices) < 2:
            self.error(block.line, "predict block needs at least two 'choice' lines")
            ok = False
        if ok and values["answer"] not in choices:
            self.error(lines["answer"], f"predict answer {values['answer']!r} is not one of the choices")
            ok = False
        if not ok:
            return None
        return Predict(values["question"], tuple(choices), choices.index(values["answer"]), values["explain"])

    def number_predict(self, block: Block, values: dict, lines: dict, lists: dict) -> Predict | None:
        """`kind: number`: question, measure, tolerance, explain; the learner types the number."""
        from tutor.quiz.numbers import parse_tolerance

        ok = True
        for key in ("question", "measure", "tolerance", "explain"):
            if key not in values:
                self.error(block.line, f"number prediction needs {key!r}")
                ok = False
        for key in sorted((values.keys() | lists.keys()) - {"question", "measure", "tolerance", "explain"}):
            self.error(lines[key], f"unknown key {key!r} in a number prediction (it has no choices: "
                                   "the learner types the number)")
            ok = False
        if "measure" in values and self.measures(values["measure"]) is None:
            from tutor.scenes.measures import MEASURES

            self.error(lines["measure"], f"unknown measure {values['measure']!r}{_guess(values['measure'], MEASURES)} "
                                         "(tutor show --measures lists them)")
            ok = False
        if "tolerance" in values:
            try:
                parse_tolerance(values["tolerance"])
            except ValueError as exc:
                self.error(lines["tolerance"], str(exc))
                ok = False
        if not ok:
            return None
        return Predict(values["question"], (), -1, values["explain"], "number", values["measure"],
                       values["tolerance"])

    # -- cards ----------------------------------------------------------------
    def cards(self, items: list) -> list[Card]:
        cards = []
        for item in items:
            if not isinstance(item, Block):
                if item[0].strip():
                    self.error(item[1], "only ```card blocks belong in the Cards section")
                continue
            if item.kind != "card":
                self.error(item.line, f"a {item.kind} block does not belong in the Cards section")
                continue
            card = self.card(item)
            if card is not None:
                cards.append(card)
        return cards

    def card(self, block: Block) -> Card | None:
        values, lines, lists = self.fields(block, {"choice"})
        ident, kind = values.get("id"), values.get("kind")
        if ident is None:
            self.error(block.line, "card needs an 'id'")
            return None
        if not ID_RE.match(ident):
            self.error(lines["id"], f"card id {ident!r} may use only a-z, 0-9, '.', '_' and '-'")
        if kind not in CARD_FIELDS:
            at = lines.get("kind", block.line)
            self.error(at, f"card {ident!r}: kind must be one of {', '.join(CARD_FIELDS)}, got {kind!r}")
            return None
        required, allowed = CARD_FIELDS[kind]
        present = set(values) | set(lists)
        missing = sorted(required - present)
        if missing:
            self.error(block.line, f"card {ident!r} ({kind}) needs {', '.join(missing)}")
            return None
        if kind == "exercise":
            return self.exercise_card(ident, block, values, lines)
        for key in sorted(present - allowed):
            self.error(lines[key], f"unknown key {key!r} in {kind} card {ident!r}")
        if kind == "choice":
            choices = tuple(lists["choice"])
            if len(choices) < 2:
                self.error(block.line, f"card {ident!r} needs at least two choices")
            if values["answer"] not in choices:
                self.error(lines["answer"], f"card {ident!r}: answer is not one of the choices")
            return Card(ident, kind, values["front"], values.get("back", ""), choices, values["answer"], line=block.line)
        if kind == "cloze":
            blanks = CLOZE_RE.findall(values["text"])
            if len(blanks) != 1:
                self.error(lines["text"], f"card {ident!r}: a cloze text needs exactly one {{{{blank}}}}, found {len(blanks)}")
                return None
            return Card(ident, kind, values["text"], values.get("back", ""), answer=blanks[0], line=block.line)
        return Card(ident, kind, values["front"], values["back"], line=block.line)

    def exercise_card(self, ident: str, block: Block, values: dict, lines: dict) -> Card | None:
        name = values["exercise"]
        spec = self.exercises(name)
        if spec is None:
            from tutor.exercises import EXERCISES

            self.error(lines["exercise"], f"card {ident!r}: unknown exercise {name!r}{_guess(name, EXERCISES)} "
                                          f"(known: {', '.join(EXERCISES)})")
            return None
        entries = [e for e in block.entries if e[0] not in ("id", "kind", "exercise")]
        params = self.typed_params("exercise", name, spec, entries)
        return Card(ident, "exercise", exercise=name, params=params, line=block.line)


def _guess(name: str, known) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
