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


# -- house rules (tutor/course/rules.py) --------------------------------------------------

def _step(n: int, words: int = 10) -> str:
    return f"## Step {n}\n\n" + " ".join(["word"] * words) + "\n\n"


def _lesson(steps: int = 5, words: int = 10, recap: bool = True, predict: bool = True,
            cards: int = 8, exercises: int = 2, order: int = 1, ident: str = "rules") -> str:
    body = "".join(_step(n, words) for n in range(1, steps + (0 if recap else 1)))
    if predict:
        body = body.replace("## Step 1\n\n", "## Step 1\n\n```predict\nquestion: Q?\nchoice: A\nchoice: B\n"
                                             "answer: A\nexplain: Because.\n```\n\n", 1)
    if recap:
        body += "## Recap\n\n- one\n- two\n- three\n\n"
    card_blocks = [f"```card\nid: {ident}.e{k}\nkind: exercise\nexercise: rnn_params\n```\n" for k in range(exercises)]
    card_blocks += [f"```card\nid: {ident}.f{k}\nkind: flip\nfront: F?\nback: B.\n```\n" for k in range(cards - exercises)]
    return (f"---\nid: {ident}\ntitle: Rules\nsummary: s\norder: {order}\nminutes: 5\n---\n\n"
            + body + "## Cards\n\n" + "\n".join(card_blocks))


def _breaches(tmp_path, **kwargs) -> list[str]:
    from tutor.course.rules import house_rules

    lesson, problems = read_lesson(write(tmp_path, "rules.md", _lesson(**kwargs)))
    assert problems == [], [str(p) for p in problems]
    return [str(p) for p in house_rules(lesson)]


def test_a_lesson_within_the_house_rules_has_no_breach(tmp_path):
    from tutor.course.rules import MAX_STEP_WORDS

    assert _breaches(tmp_path) == []
    assert _breaches(tmp_path, steps=12, words=MAX_STEP_WORDS) == []


@pytest.mark.parametrize("kwargs,line,message", [
    ({"steps": 4}, 9, "4 steps: a lesson has 5 to 12"),
    ({"steps": 13}, 9, "13 steps: a lesson has 5 to 12"),
    ({"words": 131}, 9, "has 131 words: at most 130"),
    ({"recap": False}, 33, "the last step should be a 'Recap'"),
    ({"predict": False}, 9, "no prediction"),
    ({"cards": 7, "exercises": 2}, None, "7 cards: a lesson has at least 8"),
    ({"cards": 9, "exercises": 2}, None, "2 of 9 cards are exercises"),
])
def test_each_house_rule_breach_names_file_and_line(tmp_path, kwargs, line, message):
    found = _breaches(tmp_path, **kwargs)
    assert any(message in f for f in found), found
    hit = next(f for f in found if message in f)
    assert hit.startswith(f"{tmp_path / 'rules.md'}:")
    if line is not None:
        assert hit.startswith(f"{tmp_path / 'rules.md'}:{line}: "), hit


def test_shipped_lessons_keep_the_house_rules():
    from tutor.course.rules import course_rules, house_rules

    course, problems = load_course([lessons_dir()])
    assert problems == []
    breaches = [str(p) for lesson in course.lessons for p in house_rules(lesson)] + \
               [str(p) for p in course_rules(course.lessons)]
    assert breaches == []


def test_check_warns_by_default_and_fails_with_strict(tmp_path):
    write(tmp_path, "a.md", _lesson(steps=4, ident="a"))
    write(tmp_path, "b.md", _lesson(ident="b"))          # same order as a.md
    default = run_cli("check", str(tmp_path))
    assert default.returncode == 0, default.stderr
    assert f"{tmp_path / 'a.md'}:9: warning: 4 steps" in default.stderr
    assert f"{tmp_path / 'b.md'}:5: warning: order 1 is also used by a.md" in default.stderr
    strict = run_cli("check", "--strict", str(tmp_path))
    assert strict.returncode == 1
    assert f"{tmp_path / 'a.md'}:9: 4 steps" in strict.stderr
    assert run_cli("check", "--strict").returncode == 0          # the shipped course


# -- control characters and odd paths ---------------------------------------------------

@pytest.mark.parametrize("sequence", ["\x1b]0;pwned\x07", "\x1b[2J", "\x1b]52;c;cHduZWQ=\x07", "\x9b31m", "\x00",
                                      "\x7f", "a\rb", "\x1b"])
def test_control_characters_are_always_an_error_with_file_line(tmp_path, sequence):
    text = GOOD.replace("Some text.", f"Some {sequence} text.").replace("A tiny lesson", f"A {sequence} title")
    path = write(tmp_path, "evil.md", text)
    lesson, problems = read_lesson(path)
    assert lesson is None
    shown = [str(p) for p in problems]
    assert [s.split(": ")[0] for s in shown] == [f"{path}:3", f"{path}:11"], shown
    assert all("control character" in s for s in shown)
    assert not any(ch in "".join(shown) for ch in sequence if ord(ch) < 32 or 0x7f <= ord(ch) <= 0x9f)
    course, _ = load_course([tmp_path])
    assert course.lessons == ()
    broken = course.broken[0]
    assert not any(ord(ch) < 32 or 0x7f <= ord(ch) <= 0x9f for ch in broken.title + broken.reason)


def test_windows_line_ends_and_tabs_are_fine(tmp_path):
    path = write(tmp_path, "crlf.md", GOOD.replace("Some text.", "Some\ttext."))
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert read_lesson(path)[1] == []


def test_lessons_command_prints_a_broken_title_inert(tmp_path):
    from io import StringIO

    from rich.console import Console

    from tutor.lessons_table import lessons_table

    write(tmp_path, "evil.md", GOOD.replace("A tiny lesson", "A \x1b]0;pwned\x07 \x1b]52;c;eA==\x07 title"))
    course, _ = load_course([tmp_path])
    out = StringIO()
    Console(file=out, color_system=None, width=200).print(lessons_table(course, {}, {}))
    assert "\x1b" not in out.getvalue() and "\x07" not in out.getvalue()
    assert "␛]0;pwned␇" in out.getvalue()


def test_check_reports_odd_paths_and_fails_when_nothing_was_checked(tmp_path):
    import os

    (tmp_path / "empty").mkdir()
    (tmp_path / "x.md").mkdir()
    fifo = tmp_path / "fifo.md"
    os.mkfifo(fifo)
    cases = {str(tmp_path / "empty"): "a directory with no lesson files", str(tmp_path / "x.md"):
             "a directory with no lesson files", str(fifo): "not a regular file", "/dev/zero": "not a regular file"}
    for path, message in cases.items():
        result = subprocess.run([sys.executable, "-m", "tutor", "check", path], capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 1, (path, result.stderr)
        assert f"{path}: {message}" in result.stderr and "no lesson files checked" in result.stderr
    # a directory holding a FIFO and a directory named *.md: only the regular lesson is read
    write(tmp_path, "good.md", GOOD)
    result = subprocess.run([sys.executable, "-m", "tutor", "check", str(tmp_path)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1 and "2 problem(s); 1 lesson(s) fine" in result.stderr, result.stderr
    assert f"{fifo}:1: not a regular file" in result.stderr and f"{tmp_path / 'x.md'}:1: not a regular file" in result.stderr


def test_an_oversized_file_is_refused_unread(tmp_path):
    from tutor.course.loader import MAX_LESSON_BYTES

    path = tmp_path / "huge.md"
    with open(path, "wb") as handle:
        handle.truncate(MAX_LESSON_BYTES + 1)
    _, problems = read_lesson(path)
    assert str(problems[0]).startswith(f"{path}:1: too large")


def test_an_exercise_generator_in_more_than_two_lessons_is_a_breach(tmp_path):
    from tutor.course.rules import MAX_LESSONS_PER_EXERCISE, course_rules

    for k in range(MAX_LESSONS_PER_EXERCISE + 1):
        write(tmp_path, f"l{k}.md", _lesson(ident=f"l{k}", order=k))
    course, problems = load_course([tmp_path])
    assert problems == []
    found = [str(p) for p in course_rules(course.lessons)]
    assert len(found) == 1 and found[0].startswith(f"{tmp_path / 'l2.md'}:")
    assert "exercise 'rnn_params' is already asked in l0.md, l1.md" in found[0]


def test_a_file_name_with_an_escape_sequence_is_shown_inert(tmp_path):
    from io import StringIO

    from rich.console import Console

    from tutor.lessons_table import lessons_table

    write(tmp_path, "evil\x1b]0;x\x07.md", "not a lesson")
    course, _ = load_course([tmp_path])
    out = StringIO()
    Console(file=out, color_system=None, width=200).print(lessons_table(course, {}, {}))
    assert "\x1b" not in out.getvalue() and "\x07" not in out.getvalue() and "evil␛]0;x␇.md" in out.getvalue()


def test_numbers_too_large_are_problems_at_their_line_not_crashes(tmp_path):
    huge = "9" * 310
    path = write(tmp_path, "big.md", GOOD.replace("hidden: 4", f"hidden: {huge}").replace("order: 1", "order: " + "9" * 5000))
    lesson, problems = read_lesson(path)
    shown = [str(p) for p in problems]
    assert lesson is None
    assert any(s.startswith(f"{path}:16: bad parameter: hidden:") and "(310 digits)" in s for s in shown), shown
    assert any(s.startswith(f"{path}:5: order must be a whole number") for s in shown), shown
    assert all(len(s) < 200 for s in shown)
