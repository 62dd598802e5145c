from __future__ import annotations

import pytest

from tutor.store import Store


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "progress.sqlite3")
    s.set_setting("quiz.fuzz", "off")
    yield s
    s.close()


@pytest.fixture
def make_app(tmp_path):
    """The real app on a given course, with its own store (fuzz off)."""
    from tutor.app import TutorApp

    def make(course, **kwargs):
        s = Store.open(tmp_path / "app.sqlite3")
        s.set_setting("quiz.fuzz", "off")
        return TutorApp(course, s, animate=False, **kwargs)
    return make
