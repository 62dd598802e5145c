"""`python -m engine.pretrain`: --check measures every shipped model and writes nothing;
--help, no arguments and unknown arguments write nothing either."""
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine import zoo

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "engine.pretrain", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=600)


def snapshot() -> dict[str, tuple[int, str]]:
    return {p.name: (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(zoo.WEIGHTS.iterdir())}


def test_check_passes_with_one_ok_line_per_model_and_writes_nothing():
    before = snapshot()
    result = run("--check")
    assert snapshot() == before
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(zoo.models())
    for line, name in zip(lines, zoo.models()):
        assert line.startswith(f"{name}: ") and line.endswith("  ok"), line
        assert "bar" in line


@pytest.mark.parametrize("args, code", [(("--help",), 0), ((), 2), (("--bogus",), 2),
                                        (("no_such_model",), 2), (("--list", "--check"), 2)])
def test_help_bare_and_unknown_arguments_write_nothing(args, code):
    before = snapshot()
    result = run(*args)
    assert snapshot() == before
    assert result.returncode == code
    if code == 2 and args:
        assert len(result.stderr.strip().splitlines()) == 1  # one line says why
    if args == ("--help",):
        assert "--check" in result.stdout and "FALLS SHORT" in result.stdout


def test_list_names_every_model():
    result = run("--list")
    assert result.returncode == 0
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == list(zoo.models())


def test_a_model_that_falls_short_fails_the_check(monkeypatch, capsys):
    from engine import pretrain
    name = next(iter(zoo.models()))
    short = zoo.Measurement("made-up figure", 0.1, 0.9)
    fake = zoo.ZooModel(name, "x", lambda: None, lambda: [short], lambda: {})
    monkeypatch.setitem(zoo.models(), name, fake)
    assert pretrain.main(["--check", name]) == 1
    assert capsys.readouterr().out.strip().endswith("FALLS SHORT")
