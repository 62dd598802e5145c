"""The wheel carries every lesson: installed into a fresh venv, `tutor` finds them all from elsewhere."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel `pip install .` builds (and then installs)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True)
    return next(out.glob("tutor-*.whl"))


@pytest.mark.slow
def test_wheel_ships_lessons_and_finds_them_from_another_directory(tmp_path, wheel):
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


@pytest.mark.slow
def test_pip_install_into_a_fresh_venv_then_tutor_from_another_directory(tmp_path, wheel):
    """`pip install .` into a new venv; its own `tutor` script, run elsewhere, lists every lesson.

    The dependencies (textual, numpy, …) are lent from this venv by a path
    entry, so the test needs no network; the tutor itself comes only from the
    fresh install (this venv's editable .pth is not read from a path entry).
    """
    import sysconfig
    import venv

    fresh = tmp_path / "venv"
    venv.create(fresh, with_pip=False)
    python = fresh / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "lent_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    str(wheel)], check=True, capture_output=True, cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(TUTOR_HOME=str(tmp_path / "home"), NO_COLOR="1", COLUMNS="120")
    where = subprocess.run([str(python), "-c", "import tutor.paths; print(tutor.paths.lessons_dir())"],
                           cwd=elsewhere, env=env, capture_output=True, text=True)
    assert Path(where.stdout.strip()).is_relative_to(site), (where.stdout, where.stderr)
    listed = subprocess.run([str(fresh / "bin" / "tutor"), "lessons"], cwd=elsewhere, env=env,
                            capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    shipped = sorted((ROOT / "lessons").glob("*.md"))
    titles = [line.split(":", 1)[1].strip() for p in shipped
              for line in p.read_text(encoding="utf-8").splitlines()[:8] if line.startswith("title:")]
    assert len(titles) == len(shipped) > 0
    for title in titles:
        assert title[:20] in listed.stdout, title
