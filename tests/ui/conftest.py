"""Build the real app on the shipped course (or a given one) with a fresh store."""
from __future__ import annotations

import pytest

from tutor.app import TutorApp
from tutor.course import load_course
from tutor.paths import lessons_dir
from tutor.store import Store


@pytest.fixture
def make_app(tmp_path):
    def make(paths=None, animate=False, store_path=None):
        course, _ = load_course(paths or [lessons_dir()])
        store = Store.open(store_path or tmp_path / "progress.sqlite3")
        return TutorApp(course, store, animate=animate)
    return make
