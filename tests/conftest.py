"""Shared fixtures: every test gets its own progress store."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def tutor_home(tmp_path, monkeypatch):
    """Point TUTOR_HOME at a fresh directory so no test touches real progress."""
    home = tmp_path / "tutor-home"
    monkeypatch.setenv("TUTOR_HOME", str(home))
    return home
