"""Lesson files: the shipped course parses; every kind of mistake names file and line."""
from __future__ import annotations

import subprocess
import sys

import pytest

from tutor.course import load_course, read_lesson
from tutor.paths import lessons_dir

from .lesson_files import GOOD, write


def test_shipped_lessons_parse_without_problems():
    course, problems = load_course([lessons_dir()])
    assert problems == []
    assert course.broken == ()
    ids = [lesson.id for lesson in course.lessons]
    assert "rnn" in ids
    orders = [lesson.order for lesson in course.lessons]
    assert orders == sorted(orders)


def test_rnn_lesson_is_complete():
    course, _ = load_course([lessons_dir()])
    rnn = course.find("rnn")
    assert rnn.title == "Recurrent neural networks"
    assert len(rnn.steps) >= 6 and len(rnn.cards) >= 6
    assert any(step.scene and step.scene.id == "rnn_unroll" for step in rnn.steps)
    assert course.find("2") is rnn


def test_good_fixture_parses_into_typed_data(tmp_path):
    lesson, problems = read_lesson(write(tmp_path, "tiny.md", GOOD))
    assert problems == []
    assert [s.title for s in lesson.steps] == ["First step", "Second step"]
    scene = lesson.steps[0].scene
    assert scene.id == "rnn_unroll" and scene.values == {"sentence": "one two three", "hidden": 4}
    assert "```" not in lesson.steps[0].body
    assert [c.id for c in lesson.cards] == ["tiny.one", "tiny.two"]
    assert lesson.cards[1].answer == "42"


BROKEN = {
    # name: (replace this, with this, expected line, expected message part)
    "unknown_scene": ("id: rnn_unroll", "id: no_such_scene", 14, "unknown scene 'no_such_scene'"),
    "bad_param_type": ("hidden: 4", "hidden: four", 16, "hidden: expected a whole number, got 'four'"),
    "param_out_of_range": ("hidden: 4", "hidden: 500", 16, "hidden: must lie between 2 and 32"),
    "unknown_param": ("hidden: 4", "colour: red", 16, "has no parameter 'colour'"),
    "duplicate_card_id": ("id: tiny.two", "id: tiny.one", 32, "duplicate card id 'tiny.one' (first at line 25)"),
    "missing_title": ("title: A tiny lesson\n", "", 1, "missing title in front matter"),
    "malformed_front_matter": ("order: 1", "order 1", 5, "malformed front matter: expected 'key: value'"),
    "no_front_matter_start": ("---\nid: tiny", "id: tiny", 1, "must start with a '---' line"),
    "bad_order": ("order: 1", "order: first", 5, "order must be a whole number"),
    "unknown_card_kind": ("kind: flip", "kind: essay", 27, "kind must be one of"),
    "cloze_without_blank": ("{{42}}", "42", 35, "exactly one {{blank}}"),
    "unclosed_block": ("{{42}}.\n```", "{{42}}.", 32, "unclosed ``` block"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_each_error_names_file_line_and_message(tmp_path, case):
    old, new, line, message = BROKEN[case]
    assert old in GOOD
    path = write(tmp_path, f"{case}.md", GOOD.replace(old, new, 1))
    lesson, problems = read_lesson(path)
    assert lesson is None
    rendered = [str(p) for p in problems]
    assert any(r.startswith(f"{path}:{line}: ") and message in r for r in rendered), rendered


def test_duplicate_card_across_lessons_breaks_only_the_later_file(tmp_path):
    write(tmp_path, "a.md", GOOD)
    write(tmp_path, "b.md", GOOD.replace("id: tiny\n", "id: other\n").replace("order: 1", "order: 2"))
    course, problems = load_course([tmp_path])
    assert [lesson.id for lesson in course.lessons] == ["tiny"]
    assert len(course.broken) == 1 and course.broken[0].path.name == "b.md"
    assert any("duplicate card id 'tiny.one' (also in a.md)" in str(p) for p in problems)


def test_not_utf8_is_reported_with_line(tmp_path):
    path = tmp_path / "bin.md"
    path.write_bytes(GOOD.encode()[:40] + b"\n\xff\xfe\n")
    _, problems = read_lesson(path)
    assert str(problems[0]).startswith(f"{path}:5: not valid UTF-8")


def test_lesson_text_is_never_executed(tmp_path):
    evil = GOOD.replace("sentence: one two three", "sentence: __import__('os').system('touch pwned')")
    path = write(tmp_path, "evil.md", evil)
    lesson, problems = read_lesson(path)
    assert problems == []
    assert lesson.steps[0].scene.values["sentence"].startswith("__import__")
    assert not (tmp_path / "pwned").exists()


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True, cwd=cwd)


def test_check_cli_passes_on_course_and_fails_with_file_line(tmp_path):
    ok = run_cli("check")
    assert ok.returncode == 0, ok.stderr
    assert "all fine" in ok.stdout
    bad = write(tmp_path, "bad.md", GOOD.replace("id: rnn_unroll", "id: nope"))
    result = run_cli("check", str(bad), str(tmp_path / "missing.md"))
    assert result.returncode == 1
    assert f"{bad}:14: unknown scene 'nope'" in result.stderr
    assert "missing.md: no such file or directory" in result.stderr
