"""Parse a lesson file (Markdown with front matter) into a Lesson.

Nothing in a lesson is executed: the parser reads `key: value` lines and
validates scene and exercise parameters against their declared types. Every
problem is reported with its line, and parsing goes on to find the others.

    ---                       front matter: id, title, summary, order, minutes
    ## Step title             each level-2 heading starts a step
    ```scene                  optional: a scene with typed parameters
    id: rnn_unroll
    hidden: 8
    ```
    ```predict                optional: commit to an answer before the reveal
    kind: number              (or choices) a number graded against a scene's measure
    ## Cards                  the last section: ```card blocks only
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .blocks import CLOZE_RE, ID_RE, Block, BlockReaders  # noqa: F401 (CLOZE_RE: tutor/anki.py reads it here)
from .model import Lesson, Problem, SceneRef, Step

FRONT_KEYS = {"id": True, "title": True, "summary": True, "order": True, "minutes": True, "kind": False}
LESSON_KINDS = ("lesson", "orientation")
SPECIAL = {"scene", "predict", "card"}

# (kind, id) -> (param name -> Param-like with .parse), or None if the id is unknown
Lookup = Callable[[str], Mapping[str, Any] | None]


class _Parser(BlockReaders):
    def __init__(self, path: Path, text: str, scenes: Lookup, exercises: Lookup, measures: Lookup):
        self.path, self.scenes, self.exercises, self.measures = path, scenes, exercises, measures
        self.lines = text.splitlines()
        self.problems: list[Problem] = []

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    # -- front matter -------------------------------------------------------
    def front_matter(self) -> tuple[dict[str, str], int]:
        meta: dict[str, str] = {}
        if not self.lines or self.lines[0].strip() != "---":
            self.error(1, "malformed front matter: the file must start with a '---' line")
            return meta, 0
        for i in range(1, len(self.lines)):
            raw = self.lines[i]
            n = i + 1
            if raw.strip() == "---":
                for key, required in FRONT_KEYS.items():
                    if required and key not in meta:
                        self.error(1, f"missing {key} in front matter")
                return meta, n
            if not raw.strip():
                continue
            key, sep, value = raw.partition(":")
            key = key.strip()
            if not sep or not key:
                self.error(n, f"malformed front matter: expected 'key: value', got {raw.strip()!r}")
            elif key not in FRONT_KEYS:
                self.error(n, f"unknown front matter key {key!r} (expected {', '.join(FRONT_KEYS)})")
            elif key in meta:
                self.error(n, f"duplicate front matter key {key!r}")
            elif not value.strip():
                self.error(n, f"empty {key} in front matter")
            else:
                meta[key] = value.strip()
                meta[f"{key}@"] = str(n)
        self.error(1, "malformed front matter: no closing '---' line")
        return {}, len(self.lines)

    # -- body ---------------------------------------------------------------
    def sections(self, start: int) -> tuple[list[tuple[str, int, list]], list[tuple[str, int, list]] | None]:
        """Split the body into steps and the cards section.

        Each section is (title, line, items) where items are text lines
        (str, line) or Block instances, in order.
        """
        steps: list[tuple[str, int, list]] = []
        cards = None
        current: list | None = None
        i = start
        while i < len(self.lines):
            raw, n = self.lines[i], i + 1
            fence = re.match(r"^(`{3,}|~{3,})\s*(\S*)", raw)
            if raw.startswith("## "):
                title = raw[3:].strip()
                if cards is not None:
                    self.error(n, "the Cards section must come last")
                if title.lower() == "cards":
                    cards = (title, n, [])
                    current = cards[2]
                else:
                    steps.append((title, n, []))
                    current = steps[-1][2]
                i += 1
                continue
            if fence:
                end = self._fence_end(i, fence.group(1))
                if end is None:
                    self.error(n, f"unclosed {fence.group(1)} block (opened here)")
                    end = len(self.lines)
                body = self.lines[i + 1:end]
                if current is None:
                    self.error(n, "text before the first '## ' step heading")
                elif fence.group(2) in SPECIAL:
                    current.append(self._block(fence.group(2), n, body))
                else:
                    current.extend((line, n + k) for k, line in enumerate(self.lines[i:end + 1]))
                i = end + 1
                continue
            if current is None:
                if raw.strip() and not raw.startswith("# "):
                    self.error(n, "text before the first '## ' step heading")
            else:
                current.append((raw, n))
            i += 1
        return steps, cards

    def _fence_end(self, i: int, marker: str) -> int | None:
        for j in range(i + 1, len(self.lines)):
            if self.lines[j].strip() == marker:
                return j
        return None

    def _block(self, kind: str, line: int, body: list[str]) -> Block:
        block = Block(kind, line)
        for k, raw in enumerate(body):
            n = line + 1 + k
            if not raw.strip():
                continue
            if raw[:1] in (" ", "\t") and block.entries:
                key, value, at = block.entries[-1]
                block.entries[-1] = (key, f"{value}\n{raw.strip()}", at)
                continue
            key, sep, value = raw.partition(":")
            if not sep or not key.strip() or " " in key.strip():
                self.error(n, f"malformed {kind} line: expected 'key: value', got {raw.strip()!r}")
                continue
            block.entries.append((key.strip(), value.strip(), n))
        return block

    def fields(self, block: Block, repeatable: set[str] = frozenset()) -> tuple[dict[str, str], dict[str, int], dict[str, list[str]]]:
        values: dict[str, str] = {}
        lines: dict[str, int] = {}
        lists: dict[str, list[str]] = {}
        for key, value, n in block.entries:
            if key in repeatable:
                lists.setdefault(key, []).append(value)
                lines.setdefault(key, n)
            elif key in values:
                self.error(n, f"duplicate {key!r} in {block.kind} block")
            else:
                values[key], lines[key] = value, n
        return values, lines, lists

    # -- steps ----------------------------------------------------------------
    def step(self, title: str, line: int, items: list) -> Step:
        scene = predict = None
        text: list[str] = []
        if not title:
            self.error(line, "step heading has no title")
        for item in items:
            if isinstance(item, Block):
                if item.kind == "card":
                    self.error(item.line, "card blocks belong in the '## Cards' section")
                elif item.kind == "scene":
                    if scene is not None:
                        self.error(item.line, "a step shows at most one scene")
                    scene = self.scene(item)
                elif item.kind == "predict":
                    if predict is not None:
                        self.error(item.line, "a step asks at most one prediction")
                    predict = self.predict(item)
                    predict_line = item.line
            else:
                text.append(item[0])
        if predict is not None and predict.kind == "number":
            owner = self.measures(predict.measure)
            if scene is None:
                self.error(predict_line, f"a number prediction needs a scene on its step (measure "
                                         f"{predict.measure!r} is computed by scene {owner.scene!r})")
            elif owner.scene != scene.id:
                self.error(predict_line, f"measure {predict.measure!r} belongs to scene {owner.scene!r}, "
                                         f"not to this step's {scene.id!r}")
        body = "\n".join(text).strip()
        if not body and scene is None:
            self.error(line, f"step {title!r} has neither text nor a scene")
        return Step(title, body, scene, predict, line)

    def typed_params(self, what: str, ident: str, spec: Mapping[str, Any],
                     entries: list[tuple[str, str, int]]) -> tuple[tuple[str, Any], ...]:
        out: dict[str, Any] = {}
        for key, value, n in entries:
            if key not in spec:
                known = ", ".join(spec) or "none"
                self.error(n, f"{what} {ident!r} has no parameter {key!r} (parameters: {known})")
                continue
            if key in out:
                self.error(n, f"duplicate parameter {key!r}")
                continue
            try:
                out[key] = spec[key].parse(value)
            except ValueError as exc:
                self.error(n, f"bad parameter: {exc}")
            except OverflowError:           # a whole number too large to compare with a float range
                self.error(n, f"bad parameter: {key}: {_short(value)} is too large")
        return tuple(out.items())

    def scene(self, block: Block) -> SceneRef | None:
        ident = next((v for k, v, _ in block.entries if k == "id"), None)
        if ident is None:
            self.error(block.line, "scene block needs an 'id: SCENE' line")
            return None
        spec = self.scenes(ident)
        if spec is None:
            self.error(next(n for k, _, n in block.entries if k == "id"), f"unknown scene {ident!r}")
            return None
        params = self.typed_params("scene", ident, spec, [e for e in block.entries if e[0] != "id"])
        return SceneRef(ident, params, block.line)

    def lesson(self) -> Lesson | None:
        meta, start = self.front_matter()
        steps_raw, cards_raw = self.sections(start)
        steps = tuple(self.step(*s) for s in steps_raw)
        cards = tuple(self.cards(cards_raw[2])) if cards_raw else ()
        if not steps_raw:
            self.error(max(start, 1), "lesson has no steps ('## ' headings)")
        seen: dict[str, int] = {}
        for card in cards:
            if card.id in seen:
                self.error(card.line, f"duplicate card id {card.id!r} (first at line {seen[card.id]})")
            seen.setdefault(card.id, card.line)
        number = {}
        for key in ("order", "minutes"):
            if key in meta:
                try:
                    number[key] = int(meta[key]) if len(meta[key]) <= 9 else -1   # int() refuses 4,300 digits
                    if number[key] < 0:
                        raise ValueError
                except ValueError:
                    self.error(int(meta[f"{key}@"]), f"{key} must be a whole number, got {_short(meta[key])!r}")
        if meta.get("kind", "lesson") not in LESSON_KINDS:
            self.error(int(meta["kind@"]), f"kind must be one of {', '.join(LESSON_KINDS)}, got {meta['kind']!r}")
        if "id" in meta and not ID_RE.match(meta["id"]):
            self.error(int(meta["id@"]), f"lesson id {meta['id']!r} may use only a-z, 0-9, '.', '_' and '-'")
        if self.problems:
            return None
        return Lesson(meta["id"], meta["title"], meta["summary"], number["order"],
                      number["minutes"], steps, cards, self.path, meta.get("kind", "lesson"))


def parse_lesson(path: Path, text: str, scenes: Lookup, exercises: Lookup,
                 measures: Lookup = lambda name: None) -> tuple[Lesson | None, list[Problem]]:
    """Parse one lesson's text. Returns the lesson (None if any problem) and the problems."""
    from .rules import control_problems

    controls = control_problems(path, text)
    if controls:                       # refused whole: none of its text may reach a terminal
        return None, controls
    parser = _Parser(path, text, scenes, exercises, measures)
    lesson = parser.lesson()
    problems = sorted(parser.problems, key=lambda p: p.line)
    return lesson, problems


def _short(text: str, limit: int = 40) -> str:
    """A value quoted in a problem, cut so that one line stays one line."""
    return text if len(text) <= limit else text[:limit - 1] + "…"
