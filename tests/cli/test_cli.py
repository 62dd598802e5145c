"""The `tutor` command line: every subcommand's success and failure, exit codes, one-line errors.

Everything runs in-process (fast) except where the process itself is the
point: what `tutor --help` imports, and a port that is already taken.
"""
from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
import zipfile
from datetime import datetime, timedelta, timezone

import pytest

from tutor import __version__, cli
from tutor.cli import SUBCOMMANDS, main
from tutor.course import load_course
from tutor.paths import lessons_dir, store_path
from tutor.store import Review, Reviewed, Store, StoredCard

from ..course.lesson_files import GOOD, write

COURSE, _ = load_course([lessons_dir()])


def run(capsys, *args: str) -> tuple[int, str, str]:
    """main(args) → (exit code, stdout, stderr); argparse's own exits count as exit codes."""
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str, *needles: str) -> None:
    assert err.endswith("\n") and err.count("\n") == 1, f"not one line: {err!r}"
    for needle in needles:
        assert needle in err, err


@pytest.fixture
def store():
    s = Store.open(store_path())
    yield s
    s.close()


@pytest.fixture
def app_runs(monkeypatch):
    """Replace TutorApp.run: record the app the command would have opened."""
    from tutor import launch
    from tutor.app import TutorApp

    opened: list[TutorApp] = []
    monkeypatch.setattr(TutorApp, "run", lambda self, *a, **k: opened.append(self))
    monkeypatch.setattr(launch, "terminal_problem", lambda: None)   # pytest's stdin is no terminal
    return opened


# -- help, version, dispatch ---------------------------------------------------------------
def test_help_lists_every_command_and_the_lesson_form(capsys):
    code, out, err = run(capsys, "--help")
    assert code == 0 and err == ""
    for command in SUBCOMMANDS:
        assert f"\n    {command} " in out, command
    assert "tutor LESSON" in out and "ctrl+p" in out


@pytest.mark.parametrize("command", [c for c in SUBCOMMANDS if c != "export"] + ["export anki"])
def test_every_subcommand_has_help(capsys, command):
    code, out, err = run(capsys, *command.split(), "--help")
    assert code == 0 and err == ""
    assert f"usage: tutor {command}" in out


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"tutor {__version__}"


def test_help_imports_neither_textual_nor_numpy():
    code = ("import json, sys\nfrom tutor.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n"
            "    pass\nprint(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    modules = set(json.loads(out.splitlines()[-1]))
    assert not {m for m in modules if m.split(".")[0] in ("textual", "numpy", "rich", "engine")}


def test_unknown_option_is_one_line_with_exit_2(capsys):
    code, out, err = run(capsys, "quiz", "--limit", "0")
    assert code == 2 and out == ""
    one_line_error(err, "tutor quiz: argument --limit: must be at least 1", "tutor quiz --help")
    code, _, err = run(capsys, "--colour")
    assert code == 2
    one_line_error(err, "unrecognized arguments: --colour")


def test_interrupted_exits_130(capsys, monkeypatch):
    def interrupted():
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, "cmd_stats", interrupted)
    assert run(capsys, "stats")[0] == 130


# -- tutor, tutor LESSON, tutor quiz (the app itself is not started) ----------------------------
def test_no_arguments_opens_the_course_map(capsys, app_runs):
    assert run(capsys)[0] == 0
    assert len(app_runs) == 1 and app_runs[0].start is None and app_runs[0].quiz is None


@pytest.mark.parametrize("key", ["rnn", "2"])
def test_a_lesson_by_id_or_number_opens_it(capsys, app_runs, key):
    assert run(capsys, key)[0] == 0
    assert app_runs[0].start.id == "rnn"


def test_a_bad_lesson_id_says_so_and_suggests(capsys, app_runs):
    code, out, err = run(capsys, "rnm")
    assert code == 2 and out == "" and app_runs == []
    one_line_error(err, "tutor: no lesson or command 'rnm'", "did you mean 'rnn'?", "tutor lessons")
    code, _, err = run(capsys, "lesons")
    one_line_error(err, "did you mean 'lessons'?")
    code, _, err = run(capsys, "rnn", "extra")
    assert code == 2
    one_line_error(err, "one lesson at a time")


def test_quiz_opens_the_quiz_and_saves_its_settings(capsys, app_runs, store):
    assert run(capsys, "quiz", "--lesson", "rnn", "--limit", "5", "--new-per-day", "7")[0] == 0
    assert app_runs[0].quiz == {"lesson": COURSE.find("rnn"), "limit": 5}
    assert store.setting("quiz.new_per_day") == "7"


@pytest.mark.parametrize("args, message", [
    (("--lesson", "nope"), "tutor: no lesson 'nope'"),
    (("--retention", "2"), "desired retention: must lie between 0.7 and 0.99"),
    (("--new-per-day", "many"), "new cards per day: expected a whole number"),
])
def test_quiz_failures(capsys, app_runs, args, message):
    code, out, err = run(capsys, "quiz", *args)
    assert code == 2 and out == "" and app_runs == []
    one_line_error(err, message)


# -- tutor lessons, stats --------------------------------------------------------------------
def test_lessons_prints_every_lesson_with_progress(capsys, store):
    store.save_step("rnn", 1, len(COURSE.find("rnn").steps))
    store.mark_done("welcome", len(COURSE.find("welcome").steps))
    code, out, err = run(capsys, "lessons")
    assert code == 0 and err == ""
    for lesson in COURSE.lessons:
        assert lesson.id in out
    rnn_line = next(line for line in out.splitlines() if " rnn " in line)
    assert f"step 2 of {len(COURSE.find('rnn').steps)}" in rnn_line
    assert "done" in next(line for line in out.splitlines() if " welcome " in line)
    assert f"1 of {len(COURSE.lessons)} lessons done" in out


def test_lessons_rejects_arguments(capsys):
    code, _, err = run(capsys, "lessons", "rnn")
    assert code == 2
    one_line_error(err, "unrecognized arguments: rnn")


def test_stats_prints_and_mentions_a_damaged_store(capsys, tutor_home):
    tutor_home.mkdir(parents=True, exist_ok=True)
    store_path().write_bytes(b"this is not a database" * 100)
    code, out, err = run(capsys, "stats")
    assert code == 0 and "Reviews" in out
    assert err.startswith("tutor: The progress file is unusable") and err.count("\n") == 1
    assert "left as it is" in err and not [p for p in tutor_home.iterdir() if "damaged" in p.name]


# -- tutor show, check --------------------------------------------------------------------
def test_show_prints_a_scene_and_rejects_an_unknown_one(capsys):
    code, out, _ = run(capsys, "show", "rnn_unroll", "--hidden", "3")
    assert code == 0 and "frame" in out
    code, out, err = run(capsys, "show", "no_such_scene")
    assert code == 2 and out == ""
    one_line_error(err, "unknown scene 'no_such_scene'", "tutor show --list")


def test_check_passes_the_shipped_lessons(capsys):
    code, out, err = run(capsys, "check")
    assert code == 0 and "all fine" in out and err == ""


def test_check_reports_problems_as_file_line_message(capsys, tmp_path):
    good = write(tmp_path, "good.md", GOOD)
    bad = write(tmp_path, "bad.md", GOOD.replace("id: tiny\n", "id: Not An Id\n").replace("tiny.", "bad."))
    code, out, err = run(capsys, "check", str(good), str(bad), str(tmp_path / "missing.md"))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert any(line.startswith(f"{bad}:2: ") for line in lines), err
    assert f"{tmp_path / 'missing.md'}: no such file or directory" in lines
    assert lines[-1].startswith("2 problem(s); 1 lesson(s) fine")


# -- tutor export anki ------------------------------------------------------------------------
def test_export_writes_a_deck(capsys, tmp_path):
    path = tmp_path / "deck.apkg"
    code, out, err = run(capsys, "export", "anki", str(path))
    assert code == 0 and zipfile.is_zipfile(path) and err == ""
    assert out.startswith(f"Wrote {len(COURSE.cards())} cards to {path}")


@pytest.mark.parametrize("where", ["missing-dir/deck.apkg", "a-file/deck.apkg", "."])
def test_export_to_an_unwritable_path_fails_in_one_line(capsys, tmp_path, where):
    (tmp_path / "a-file").write_text("not a directory")
    path = tmp_path / where
    code, out, err = run(capsys, "export", "anki", str(path))
    assert code == 1 and out == ""
    one_line_error(err, f"tutor: cannot write {path}: ")


def test_export_needs_a_format_and_a_file(capsys):
    assert run(capsys, "export")[0] == 2
    code, _, err = run(capsys, "export", "csv", "x.csv")
    assert code == 2
    one_line_error(err, "invalid choice: 'csv'")
    assert run(capsys, "export", "anki")[0] == 2


# -- tutor serve (the server itself is tested in tests/test_serve.py) ------------------------------
@pytest.fixture
def served(monkeypatch):
    import tutor.serve_web

    calls = []
    monkeypatch.setattr(tutor.serve_web, "serve", lambda options: calls.append(
        (options.host, options.port, options.public_url)))
    return calls


def test_serve_passes_host_port_and_url(capsys, served):
    assert run(capsys, "serve")[0] == 0
    assert run(capsys, "serve", "--host", "0.0.0.0", "--port", "9001", "--url", "https://x.org/t/")[0] == 0
    assert served == [("127.0.0.1", 8000, None), ("0.0.0.0", 9001, "https://x.org/t")]


@pytest.mark.parametrize("url", ["foo", "ftp://x.org", "http://", "http://x.org:port", "http://x.org/?a=1"])
def test_serve_rejects_a_url_learners_cannot_use(capsys, served, url):
    code, out, err = run(capsys, "serve", "--url", url)
    assert code == 2 and out == "" and served == []
    one_line_error(err, "tutor serve: argument --url: ")


@pytest.mark.parametrize("port, message", [("http", "expected a whole number, got 'http'"),
                                           ("0", "must be between 1 and 65535, got 0"),
                                           ("70000", "must be between 1 and 65535, got 70000")])
def test_serve_rejects_a_bad_port(capsys, served, port, message):
    code, out, err = run(capsys, "serve", "--port", port)
    assert code == 2 and out == "" and served == []
    one_line_error(err, "tutor serve: argument --port: " + message)


def test_serve_on_a_taken_port_fails_in_one_line(tmp_path):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "tutor", "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=60, cwd=tmp_path,
                                stdin=subprocess.DEVNULL)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"tutor: cannot serve on 127.0.0.1:{port}: ")
    assert result.stderr.count("\n") == 1, result.stderr


# -- tutor reset ------------------------------------------------------------------------------
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def reviewed(store: Store, card_id: str, lesson_id: str) -> None:
    due = T0 + timedelta(days=3)
    card = StoredCard(card_id, lesson_id, 1, "{}", due, 1, T0)
    store.record_review(card_id, lambda _: Reviewed(card, Review(card_id, lesson_id, T0, 3, "new", None, due)))


@pytest.fixture
def progress(store):
    """Two lessons started, one card of each reviewed."""
    rnn, lstm = COURSE.find("rnn"), COURSE.find("lstm-gru")
    store.save_step("rnn", 3, len(rnn.steps))
    store.mark_done("lstm-gru", len(lstm.steps))
    reviewed(store, rnn.cards[0].id, "rnn")
    reviewed(store, lstm.cards[0].id, "lstm-gru")
    return store


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_reset_with_yes_clears_lessons_and_keeps_cards(capsys, progress):
    code, out, err = run(capsys, "reset", "--yes")
    assert code == 0 and err == ""
    assert out.strip() == "Reset: 2 lessons of progress cleared."
    assert progress.all_progress() == {}
    assert progress.card(COURSE.find("rnn").cards[0].id) is not None
    assert len(progress.reviews()) == 2


def test_reset_one_lesson_with_its_cards_keeps_the_review_log(capsys, progress):
    rnn = COURSE.find("rnn")
    code, out, _ = run(capsys, "reset", "--lesson", "2", "--cards", "-y")
    assert code == 0 and out.strip() == "Reset: 1 lesson of progress cleared, 1 card back to new."
    assert set(progress.all_progress()) == {"lstm-gru"}
    assert progress.card(rnn.cards[0].id) is None
    assert progress.card(COURSE.find("lstm-gru").cards[0].id) is not None
    assert len(progress.reviews()) == 2


def test_reset_asks_first_in_a_terminal(capsys, monkeypatch, progress):
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    code, out, err = run(capsys, "reset", "--cards")
    assert code == 1 and out == ""
    assert "your place in all" in err and "returns all" in err and "review log is kept" in err
    assert err.rstrip().endswith("tutor: nothing was reset")
    assert len(progress.all_progress()) == 2 and progress.card(COURSE.find("rnn").cards[0].id)

    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    code, out, err = run(capsys, "reset")
    assert code == 0 and "Card schedules and the review log are kept" in err
    assert progress.all_progress() == {}


@pytest.mark.parametrize("stdin", [io.StringIO("y\n"), None], ids=["piped", "closed"])
def test_reset_without_a_terminal_needs_yes(capsys, monkeypatch, progress, stdin):
    monkeypatch.setattr(sys, "stdin", stdin)   # None: started with stdin closed (`tutor reset <&-`)
    code, out, err = run(capsys, "reset")
    assert code == 1 and out == ""
    one_line_error(err, "reset asks for confirmation", "--yes")
    assert len(progress.all_progress()) == 2


def test_reset_an_unknown_lesson(capsys, progress):
    code, out, err = run(capsys, "reset", "--lesson", "rnm", "--yes")
    assert code == 2 and out == ""
    one_line_error(err, "no lesson 'rnm'", "did you mean 'rnn'?")
    assert len(progress.all_progress()) == 2


@pytest.mark.parametrize("argv", [["9" * 310], ["serve", "--port", "9" * 310], ["quiz", "--limit", "9" * 5000]])
def test_a_huge_argument_is_named_in_a_short_line(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert len(err) < 400 and "9" * 200 not in err
