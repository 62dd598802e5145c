"""`tutor export anki FILE.apkg`: the course's cards as an Anki deck.

The deck and note type have fixed ids, and each note's GUID is derived from
its card id, so importing a newer export updates the notes instead of adding
copies. Card text is HTML-escaped. An exercise card carries one generated
instance (seed 0, so re-exports match) and says that the tutor varies it.
"""
from __future__ import annotations

import html
import itertools
import json
import os
import sqlite3
import tempfile
import time
import zipfile
from pathlib import Path

import genanki

from tutor.course import Card, Course, Lesson
from tutor.course.parser import CLOZE_RE
from tutor.quiz.present import cloze_alternatives, present

DECK_ID = 1_862_450_377     # never change these two: Anki would make a second deck
MODEL_ID = 1_486_035_921
DECK_NAME = "tutor: from RNNs to Transformers"
EXAMPLE_SEED = 0

MODEL = genanki.Model(
    MODEL_ID, "tutor card",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Card id"}, {"name": "Lesson"}],
    templates=[{
        "name": "Recall",
        "qfmt": "{{Front}}",
        "afmt": '{{FrontSide}}<hr id="answer">{{Back}}<div class="lesson">{{Lesson}}</div>',
    }],
    css=".card { font-family: sans-serif; font-size: 20px; text-align: left; }\n"
        ".lesson, .note { color: #888; font-size: 14px; margin-top: 1em; }")


def note_guid(card_id: str) -> str:
    return genanki.guid_for("tutor", card_id)


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def card_sides(card: Card) -> tuple[str, str, str | None]:
    """(front HTML, back HTML, problem or None) for one card."""
    back_note = f"<br><br>{_html(card.back)}" if card.back else ""
    if card.kind == "flip":
        return _html(card.front), _html(card.back), None
    if card.kind == "choice":
        items = "".join(f"<li>{_html(c)}</li>" for c in card.choices)
        return f"{_html(card.front)}<ol>{items}</ol>", f"<b>{_html(card.answer)}</b>{back_note}", None
    if card.kind == "cloze":
        alternatives = cloze_alternatives(card)
        before, _, after = CLOZE_RE.split(card.front, maxsplit=1)
        front = _html(before) + "[…]" + _html(after)
        back = _html(before) + f"<b>{_html(alternatives[0])}</b>" + _html(after)
        if len(alternatives) > 1:
            back += "<br>also right: " + ", ".join(_html(a) for a in alternatives[1:])
        return front, back + back_note, None
    shown = present(card, EXAMPLE_SEED)
    note = ('<div class="note">One generated example: in the tutor this card gets fresh numbers '
            "each time.</div>")
    if shown.mode == "unavailable":
        return _html(shown.question) + note, "", f"card {card.id}: {shown.question}"
    back = f"<b>{_html(shown.answer)}</b>" + (f"<br><br>{_html(shown.back)}" if shown.back else "")
    return _html(shown.question) + note, back, None


def build_deck(course: Course) -> tuple[genanki.Deck, list[str]]:
    deck = genanki.Deck(DECK_ID, DECK_NAME, description="Recall cards from the tutor course.")
    problems = []
    for lesson in course.lessons:
        for card in lesson.cards:
            front, back, problem = card_sides(card)
            if problem:
                problems.append(problem)
            deck.add_note(_note(card, lesson, front, back))
    return deck, problems


def _note(card: Card, lesson: Lesson, front: str, back: str) -> genanki.Note:
    return genanki.Note(model=MODEL, fields=[front, back, _html(card.id), _html(lesson.title)],
                        guid=note_guid(card.id), tags=[f"tutor::{lesson.id}", card.kind])


def export(course: Course, path: Path) -> tuple[int, list[str]]:
    """Write the deck to path; returns (notes written, problems).

    Raises OSError or sqlite3.Error if it cannot. Nothing is left behind either
    way: genanki's own write_to_file leaves its database in a temporary file
    (147 KB per export), so the database is built in a directory removed at
    the end, and the deck is written beside `path` and renamed over it only
    once whole: a write failing part-way (a full disk, a file-size limit)
    leaves any earlier deck as it was. A symlink at `path` is replaced, its
    target never written through.
    """
    deck, problems = build_deck(course)
    package = genanki.Package(deck)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with tempfile.TemporaryDirectory(prefix="tutor-anki-") as work:
            database = Path(work) / "collection.anki2"
            conn = sqlite3.connect(database)
            try:
                timestamp = time.time()
                package.write_to_db(conn.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
                conn.commit()
            finally:
                conn.close()
            with zipfile.ZipFile(partial, "w") as deck_file:
                deck_file.write(database, "collection.anki2")
                deck_file.writestr("media", json.dumps({}))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return len(deck.notes), problems
