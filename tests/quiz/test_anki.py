"""The Anki export: a real .apkg with every card, stable GUIDs, a fixed deck id, escaped text."""
from __future__ import annotations

import json
import sqlite3
import zipfile

import genanki

from tutor import anki
from tutor.cli import main
from tutor.course import load_course
from tutor.paths import lessons_dir

from .helpers import card, lesson, write_course


def notes_in(path, tmp_path):
    with zipfile.ZipFile(path) as z:
        z.extract("collection.anki2", tmp_path / "unzipped")
    db = sqlite3.connect(tmp_path / "unzipped" / "collection.anki2")
    notes = {row[0]: row[1].split("\x1f") for row in db.execute("SELECT guid, flds FROM notes")}
    decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
    db.close()
    return notes, decks


def test_every_shipped_card_is_exported_with_its_stable_guid(tmp_path):
    course, _ = load_course([lessons_dir()])
    path = tmp_path / "deck.apkg"
    count, problems = anki.export(course, path)
    assert problems == []
    notes, decks = notes_in(path, tmp_path)
    cards = course.cards()
    assert count == len(cards) == len(notes) > 0
    assert set(notes) == {genanki.guid_for("tutor", c.id) for c in cards}
    assert {fields[2] for fields in notes.values()} == {c.id for c in cards}
    assert str(anki.DECK_ID) in decks and decks[str(anki.DECK_ID)]["name"] == anki.DECK_NAME
    # a second export is the same deck and the same notes: Anki updates instead of duplicating
    again = tmp_path / "again.apkg"
    anki.export(course, again)
    assert set(notes_in(again, tmp_path / "2")[0]) == set(notes)


def test_card_text_is_escaped_and_every_kind_has_both_sides(tmp_path):
    course = write_course(tmp_path / "lessons", {"h.md": lesson("h", 1, [
        card("h.flip", front="Is <b>x</b> & y bold?", back="No: <script>alert(1)</script>"),
        card("h.choice", "choice", front="Pick", choice=["a < b", "a > b"], answer="a < b"),
        card("h.cloze", "cloze", text="Cost is {{O(n²)|O(n^2)}} & more."),
        card("h.ex", "exercise", exercise="qk_shape"),
    ])})
    path = tmp_path / "h.apkg"
    assert anki.export(course, path) == (4, [])
    notes, _ = notes_in(path, tmp_path)
    by_id = {fields[2]: fields for fields in notes.values()}
    flip = by_id["h.flip"]
    assert flip[0] == "Is &lt;b&gt;x&lt;/b&gt; &amp; y bold?" and "<script>" not in flip[1]
    assert "<li>a &lt; b</li>" in by_id["h.choice"][0] and "<b>a &lt; b</b>" in by_id["h.choice"][1]
    cloze = by_id["h.cloze"]
    assert cloze[0] == "Cost is […] &amp; more." and "<b>O(n²)</b>" in cloze[1] and "O(n^2)" in cloze[1]
    ex = by_id["h.ex"]
    assert "QKᵀ" in ex[0] and "fresh numbers each time" in ex[0] and "×" in ex[1]


def test_cli_writes_the_deck_and_reports_an_unwritable_path(tmp_path, capsys):
    path = tmp_path / "out.apkg"
    assert main(["export", "anki", str(path)]) == 0
    assert zipfile.is_zipfile(path) and "Wrote" in capsys.readouterr().out
    for bad in (tmp_path / "missing-dir" / "x.apkg", tmp_path):
        assert main(["export", "anki", str(bad)]) == 1
        err = capsys.readouterr().err
        assert err.startswith("tutor: cannot write ") and err.count("\n") == 1, err
