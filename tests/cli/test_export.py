"""`tutor export anki`: nothing left behind, one line when a write fails, nothing replaced unasked."""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import zipfile

import pytest

from .test_cli import Terminal, one_line_error, run


def test_an_export_leaves_no_temporary_file(capsys, tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr("tempfile.tempdir", None)   # read TMPDIR afresh
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for _ in range(2):
        code, _, _ = run(capsys, "export", "anki", "--force", str(out_dir / "deck.apkg"))
        assert code == 0
    assert list(scratch.iterdir()) == [] and [p.name for p in out_dir.iterdir()] == ["deck.apkg"]


def test_a_write_that_fails_part_way_is_one_line_and_keeps_the_old_deck(tmp_path):
    folder = tmp_path / "decks"
    folder.mkdir()
    deck = folder / "deck.apkg"
    deck.write_bytes(b"the learner's earlier deck")
    limit = 20_000   # bytes: far less than a deck

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    result = subprocess.run([sys.executable, "-m", "tutor", "export", "anki", "--force", str(deck)],
                            capture_output=True, text=True, timeout=60, preexec_fn=small_files,
                            env={**os.environ, "TMPDIR": str(folder)}, stdin=subprocess.DEVNULL)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"tutor: cannot write {deck}: ") and result.stderr.count("\n") == 1
    assert deck.read_bytes() == b"the learner's earlier deck"
    assert sorted(p.name for p in folder.iterdir()) == ["deck.apkg"]


@pytest.mark.parametrize("kind", ["file", "symlink"])
def test_an_existing_file_is_not_replaced_without_force(capsys, tmp_path, monkeypatch, kind):
    target = tmp_path / "notes.txt"
    target.write_text("someone's notes")
    path = tmp_path / "deck.apkg"
    if kind == "symlink":
        path.symlink_to(target)
    else:
        path = target
    monkeypatch.setattr(sys, "stdin", None)   # no terminal to ask on
    code, out, err = run(capsys, "export", "anki", str(path))
    assert code == 1 and out == ""
    one_line_error(err, "exists", "--force")
    assert target.read_text() == "someone's notes"

    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))   # a terminal: asked, and refused
    code, out, err = run(capsys, "export", "anki", str(path))
    assert code == 1 and "Replace it?" in err and err.rstrip().endswith("nothing was written")
    assert target.read_text() == "someone's notes"

    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    code, out, err = run(capsys, "export", "anki", str(path))
    assert code == 0 and zipfile.is_zipfile(path)
    if kind == "symlink":   # the link is replaced, its target never written through
        assert not path.is_symlink() and target.read_text() == "someone's notes"


def test_force_replaces_without_asking(capsys, tmp_path, monkeypatch):
    path = tmp_path / "deck.apkg"
    path.write_text("old")
    monkeypatch.setattr(sys, "stdin", None)
    code, _, _ = run(capsys, "export", "anki", "--force", str(path))
    assert code == 0 and zipfile.is_zipfile(path)
