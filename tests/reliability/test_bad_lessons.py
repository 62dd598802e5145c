"""Bad lessons: every malformed case gives `file:line: message`, and the other lessons stay usable.

tests/test_lessons.py covers the common mistakes; these are the rest of what
the parser checks, plus files that are not lessons at all (empty, a BOM,
a directory named like a lesson). They all go through `tutor check` once,
side by side with a good lesson, which must still open in the app.
"""
from __future__ import annotations

import subprocess
import sys

import pytest
from textual.widgets import OptionList

from tutor.app import TutorApp
from tutor.course import load_course, read_lesson
from tutor.screens.lesson import LessonScreen
from tutor.store import Store

from ..course.lesson_files import GOOD

PREDICT = "```predict\nquestion: Which?\nchoice: A\nchoice: B\nanswer: A\nexplain: Because.\n```\n"
CHOICE_CARD = "```card\nid: tiny.pick\nkind: choice\nfront: Pick\nchoice: A\nchoice: B\nanswer: A\n```\n"

# name: (replace this, with this, expected line, expected message part)
CASES = {
    "unknown_front_key": ("minutes: 5\n", "minutes: 5\ncolour: red\n", 7, "unknown front matter key 'colour'"),
    "duplicate_front_key": ("minutes: 5\n", "minutes: 5\nminutes: 6\n", 7, "duplicate front matter key 'minutes'"),
    "empty_front_value": ("summary: Two steps and two cards.", "summary:", 4, "empty summary in front matter"),
    "no_closing_front_matter": ("minutes: 5\n---\n", "minutes: 5\n", 1, "no closing '---' line"),
    "bad_lesson_id": ("---\nid: tiny\n", "---\nid: Tiny Lesson\n", 2, "lesson id 'Tiny Lesson' may use only"),
    "bad_minutes": ("minutes: 5", "minutes: five", 6, "minutes must be a whole number, got 'five'"),
    "empty_file": (GOOD, "", 1, "must start with a '---' line"),
    "text_before_first_step": ("---\n\n## First step", "---\n\nStray text.\n\n## First step", 9,
                               "text before the first '## ' step heading"),
    "cards_not_last": ("back: Answer.\n```\n", "back: Answer.\n```\n\n## Late step\n\nText.\n", 32,
                       "the Cards section must come last"),
    "step_without_title": ("## Second step\n", "## \n", 19, "step heading has no title"),
    "empty_step": ("## Second step\n\nMore text.\n", "## Second step\n\n", 19,
                   "step 'Second step' has neither text nor a scene"),
    "malformed_block_line": ("hidden: 4", "hidden 4", 16, "malformed scene line: expected 'key: value'"),
    "duplicate_scene_param": ("hidden: 4\n", "hidden: 4\nhidden: 5\n", 17, "duplicate"),
    "scene_without_id": ("id: rnn_unroll\n", "", 13, "scene block needs an 'id: SCENE' line"),
    "two_scenes": ("More text.\n", "More text.\n\n```scene\nid: rnn_unroll\n```\n\n```scene\nid: gates\n```\n",
                   27, "a step shows at most one scene"),
    "two_predictions": ("More text.\n", "More text.\n\n" + PREDICT + "\n" + PREDICT, 31,
                        "a step asks at most one prediction"),
    "predict_without_answer": ("More text.\n", "More text.\n\n" + PREDICT.replace("answer: A\n", ""), 23,
                               "predict block needs 'answer'"),
    "predict_unknown_key": ("More text.\n", "More text.\n\n" + PREDICT.replace("explain:", "colour: red\nexplain:"),
                            28, "unknown key 'colour' in predict block"),
    "predict_one_choice": ("More text.\n", "More text.\n\n" + PREDICT.replace("choice: B\n", ""), 23,
                           "predict block needs at least two 'choice' lines"),
    "predict_answer_not_a_choice": ("More text.\n", "More text.\n\n" + PREDICT.replace("answer: A", "answer: C"),
                                    27, "predict answer 'C' is not one of the choices"),
    "card_in_a_step": ("More text.\n", "More text.\n\n```card\nid: tiny.three\nkind: flip\nfront: Q\nback: A\n```\n",
                       23, "card blocks belong in the '## Cards' section"),
    "scene_in_cards": ("```card\nid: tiny.two", "```scene\nid: rnn_unroll\n```\n\n```card\nid: tiny.two", 32,
                       "a scene block does not belong in the Cards section"),
    "text_in_cards": ("```card\nid: tiny.two", "Loose text.\n\n```card\nid: tiny.two", 32,
                      "only ```card blocks belong in the Cards section"),
    "card_without_id": ("id: tiny.one\n", "", 25, "card needs an 'id'"),
    "bad_card_id": ("id: tiny.one", "id: Tiny One!", 26, "card id 'Tiny One!' may use only"),
    "card_missing_field": ("back: Answer.\n", "", 25, "card 'tiny.one' (flip) needs back"),
    "card_unknown_key": ("back: Answer.\n", "back: Answer.\nhint: none\n", 30, "unknown key 'hint' in flip card"),
    "choice_card_one_choice": ("```card\nid: tiny.two", CHOICE_CARD.replace("choice: B\n", "") + "\n```card\nid: tiny.two",
                               32, "card 'tiny.pick' needs at least two choices"),
    "choice_card_answer_not_a_choice": ("```card\nid: tiny.two",
                                        CHOICE_CARD.replace("answer: A", "answer: C") + "\n```card\nid: tiny.two",
                                        38, "card 'tiny.pick': answer is not one of the choices"),
    "cloze_two_blanks": ("{{42}}.", "{{42}} and {{43}}.", 35, "exactly one {{blank}}, found 2"),
    "unknown_exercise": ("kind: cloze\ntext: The answer is {{42}}.", "kind: exercise\nexercise: nope", 35,
                         "card 'tiny.two': unknown exercise 'nope'"),
    "no_steps": (GOOD[GOOD.index("## First step"):GOOD.index("## Cards")], "", 7, "lesson has no steps"),
}


def broken_text(case: str) -> str:
    old, new, _, _ = CASES[case]
    assert old in GOOD, case
    return GOOD.replace(old, new, 1)


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_malformed_case_names_file_line_and_message(tmp_path, case):
    path = tmp_path / f"{case}.md"
    path.write_text(broken_text(case), encoding="utf-8")
    lesson, problems = read_lesson(path)
    assert lesson is None
    _, _, line, message = CASES[case]
    rendered = [str(p) for p in problems]
    assert any(r.startswith(f"{path}:{line}: ") and message in r for r in rendered), rendered


GOOD_OTHER = GOOD.replace("id: tiny\n", "id: other\n").replace("tiny.", "other.").replace("order: 1", "order: 2")


def write_course_dir(tmp_path):
    directory = tmp_path / "lessons"
    directory.mkdir()
    for case in CASES:
        (directory / f"{case}.md").write_text(broken_text(case), encoding="utf-8")
    (directory / "zz_good.md").write_text(GOOD_OTHER, encoding="utf-8")
    (directory / "crlf.md").write_bytes(GOOD.replace("id: tiny\n", "id: crlf\n").replace("tiny.", "crlf.")
                                        .replace("order: 1", "order: 3").replace("\n", "\r\n").encode())
    (directory / "latin1.md").write_bytes(GOOD.replace("Some text.", "Caf\xe9.").encode("latin-1"))
    (directory / "folder.md").mkdir()   # globbed like a lesson, but cannot be read
    return directory


def test_tutor_check_reports_every_bad_file_and_passes_the_good_ones(tmp_path):
    directory = write_course_dir(tmp_path)
    result = subprocess.run([sys.executable, "-m", "tutor", "check", str(directory)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    for case, (_, _, line, message) in CASES.items():
        prefix = f"{directory / (case + '.md')}:{line}: "
        assert any(out.startswith(prefix) and message in out for out in lines), (case, prefix, message)
    assert any(out.startswith(f"{directory / 'latin1.md'}:11: not valid UTF-8") for out in lines), lines
    assert any(out.startswith(f"{directory / 'folder.md'}:1: not a regular file") for out in lines), lines
    assert "; 2 lesson(s) fine" in lines[-1]
    for out in lines[:-1]:               # nothing but file:line: message
        path, line, message = out.split(":", 2)
        assert path.startswith(str(directory)) and line.isdigit() and message.startswith(" "), out
    assert "Traceback" not in result.stderr


async def test_the_good_lessons_open_beside_the_broken_ones(tmp_path):
    course, problems = load_course([write_course_dir(tmp_path)])
    assert [lesson.id for lesson in course.lessons] == ["other", "crlf"]
    assert len(course.broken) == len(CASES) + 2
    app = TutorApp(course, Store.open(tmp_path / "progress.sqlite3"), animate=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert options.option_count == len(course.lessons) + len(course.broken)
        assert all(options.get_option_at_index(i).disabled for i in range(2, options.option_count))
        for index, lesson_id in enumerate(["other", "crlf"]):
            options.highlighted = index
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, LessonScreen) and app.screen.lesson.id == lesson_id
            await pilot.press("right", "escape")
            await pilot.pause()
    app.store.close()


def test_a_byte_order_mark_is_not_an_error(tmp_path):
    """Editors on Windows save "UTF-8 with BOM": the lesson is fine, the BOM is not text."""
    path = tmp_path / "bom.md"
    path.write_text("\ufeff" + GOOD, encoding="utf-8")
    lesson, problems = read_lesson(path)
    assert problems == [] and lesson.id == "tiny"
