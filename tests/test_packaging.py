"""The wheel carries every lesson: installed elsewhere, `tutor check` finds them all."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_ships_lessons_and_finds_them_from_another_directory(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("tutor-*.whl"))
    shipped = sorted(p.name for p in (ROOT / "lessons").glob("*.md"))
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        assert sorted(Path(n).name for n in names if n.startswith("tutor/_lessons/")) == shipped
        assert any(n.endswith("entry_points.txt") for n in names)
        site = tmp_path / "site"
        zf.extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}  # the installed layout, not the repo
    result = subprocess.run([sys.executable, "-c", "import tutor.paths, tutor.cli, sys;"
                             "print(tutor.paths.lessons_dir()); sys.exit(tutor.cli.main(['check']))"],
                            cwd=elsewhere, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert str(site) in result.stdout and "all fine" in result.stdout
