"""The command line under faults: damaged or odd stores, huge numbers, no terminal, odd encodings,
a crashing app, teacher's lessons. Errors are one line; nothing is renamed by a command that only reads."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from tutor.paths import store_path
from tutor.store import Store

from ..course.lesson_files import GOOD, write
from .test_cli import one_line_error, run

HUGE = "9" * 310   # a whole number too large for a float


def damaged_store(home) -> set[str]:
    home.mkdir(parents=True, exist_ok=True)
    store_path().write_bytes(b"this is not a database" * 100)
    return {p.name for p in home.iterdir()}


@pytest.mark.parametrize("args", [["lessons"], ["stats"], ["show", "rnn_unroll"], ["check"]],
                         ids=lambda a: a[0])
def test_a_command_that_only_reads_never_renames_the_store(capsys, tutor_home, args):
    before = damaged_store(tutor_home)
    code, out, err = run(capsys, *args)
    assert code == 0 and out
    assert {p.name for p in tutor_home.iterdir()} - {"cache"} == before
    assert store_path().read_bytes().startswith(b"this is not a database")


def bad_rows() -> None:
    store = Store.open(store_path())
    store.save_step("rnn", 1, 7)
    store.close()
    conn = sqlite3.connect(store_path())
    conn.execute("INSERT INTO lesson_progress VALUES ('lstm-gru', 'two', 5, 0, 'then')")
    conn.execute("INSERT INTO review_log (card_id, lesson_id, reviewed_at, rating, state_before, due_after) "
                 "VALUES ('rnn.x', 'rnn', 'not a date', 3, 'new', 'never')")
    conn.execute("INSERT INTO card_state VALUES ('rnn.y', 'rnn', 1, '{}', 'soon', 'x', 'then', 'now')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("command", ["stats", "lessons"])
def test_rows_written_by_another_program_are_skipped_and_reported_once(capsys, command):
    bad_rows()
    code, out, err = run(capsys, command)
    assert code == 0 and out and "Traceback" not in err
    one_line_error(err, "tutor: skipped", "unreadable row")
    if command == "lessons":
        assert "step 2 of 7" in out   # the good row still shows


def test_a_number_too_large_for_a_float_is_a_usage_error(capsys):
    code, out, err = run(capsys, "show", "rnn_unroll", "--hidden", HUGE)
    assert code == 2 and out == ""
    one_line_error(err, "hidden", "expected a finite number")


def test_check_reports_a_huge_scene_parameter_at_its_line(capsys, tmp_path):
    path = write(tmp_path, "huge.md", GOOD.replace("hidden: 4", f"hidden: {HUGE}"))
    code, out, err = run(capsys, "check", str(path))
    line = GOOD.splitlines().index("hidden: 4") + 1
    assert code == 1 and f"{path}:{line}: bad parameter: hidden: expected a finite number" in err


def test_a_crash_in_the_app_exits_1(capsys, monkeypatch):
    from textual.app import App

    from tutor import launch
    from tutor.app import TutorApp

    def crash(self):
        raise RuntimeError("boom")
    monkeypatch.setattr(launch, "terminal_problem", lambda: None)
    monkeypatch.setattr(TutorApp, "on_mount", crash)
    monkeypatch.setattr(TutorApp, "run", lambda self: App.run(self, headless=True))
    code, _, _ = run(capsys)
    assert code == 1


def tutor(*args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, **kwargs.pop("env", {})}
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True,
                          timeout=60, env=env, **kwargs)


@pytest.mark.parametrize("stdin", ["devnull", "closed"])
def test_without_a_terminal_the_app_says_so_and_exits_1(stdin):
    """`tutor < /dev/null` spun at full CPU for ever; with stdin closed it exited 0 after a traceback."""
    if stdin == "devnull":
        result = tutor(stdin=subprocess.DEVNULL)
    else:
        result = tutor(stdin=subprocess.DEVNULL, preexec_fn=lambda: os.close(0))
    assert result.returncode == 1
    assert result.stderr.startswith("tutor: tutor needs a terminal") and result.stderr.count("\n") == 1


@pytest.mark.parametrize("args", [["lessons"], ["stats"], ["show", "rnn_unroll"], ["show", "--list"],
                                  ["check"], ["--help"], ["nosuch"], ["export", "anki", "-"]],
                         ids=" ".join)
def test_an_ascii_only_output_degrades_without_a_traceback(tmp_path, args):
    result = tutor(*args, env={"PYTHONIOENCODING": "ascii", "TUTOR_HOME": str(tmp_path)},
                   stdin=subprocess.DEVNULL, cwd=tmp_path)
    assert "Traceback" not in result.stderr and "UnicodeEncodeError" not in result.stderr, result.stderr
    assert result.returncode in (0, 1, 2) and (result.stdout or result.stderr)


# -- a teacher's lessons -------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def no_teacher_lessons(monkeypatch):
    """`--lessons` sets TUTOR_LESSONS in this process: recorded here, so it is undone after each test."""
    monkeypatch.setenv("TUTOR_LESSONS", "")


def teacher_dir(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    write(folder, "tiny.md", GOOD.replace("order: 1", "order: 90"))
    return folder


def test_lessons_from_a_teachers_folder_join_the_course(capsys, tmp_path, monkeypatch):
    folder = teacher_dir(tmp_path)
    code, out, _ = run(capsys, "--lessons", str(folder), "lessons")
    assert code == 0 and "A tiny lesson" in out
    code, out, _ = run(capsys, "check")   # the variable the option set: checked like the shipped ones
    assert code == 0 and "all fine" in out
    monkeypatch.setenv("TUTOR_LESSONS", "")
    code, out, _ = run(capsys, "lessons")
    assert "A tiny lesson" not in out
    monkeypatch.setenv("TUTOR_LESSONS", str(folder))
    path = tmp_path / "deck.apkg"
    code, out, _ = run(capsys, "export", "anki", str(path))
    assert code == 0 and "tiny.one".encode() in __import__("zipfile").ZipFile(path).read("collection.anki2")


def test_a_teachers_lesson_with_a_shipped_id_is_reported_not_merged(capsys, tmp_path, monkeypatch):
    folder = tmp_path / "class"
    folder.mkdir()
    clash = write(folder, "clash.md", GOOD.replace("id: tiny\n", "id: rnn\n"))
    code, out, err = run(capsys, "--lessons", str(folder), "check")
    assert code == 1 and f"{clash}:2: lesson id 'rnn' is already used by" in err
    code, out, _ = run(capsys, "lessons")
    assert "unavailable: clash.md" in out


def test_lessons_option_needs_a_directory(capsys, tmp_path):
    code, out, err = run(capsys, "--lessons", str(tmp_path / "nowhere"))
    assert code == 2
    one_line_error(err, "no such directory")
