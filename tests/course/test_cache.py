"""The parsed course kept between starts: the same course as parsing gives, or no cache at all."""
from __future__ import annotations

import json
import os
import shutil

import pytest

from tutor.course import load_course
from tutor.course import cache
from tutor.course.cache import load_course_cached
from tutor.paths import lessons_dir


@pytest.fixture
def lessons(tmp_path):
    copy = tmp_path / "lessons"
    shutil.copytree(lessons_dir(), copy)
    return copy


def test_a_cached_course_is_the_parsed_course(lessons, tmp_path, monkeypatch):
    where = tmp_path / "cache" / "course.json"
    parsed = load_course([lessons])
    assert load_course_cached([lessons], where) == parsed          # parsed, then written
    assert where.exists()
    monkeypatch.setattr(cache, "write", lambda *a: pytest.fail("a hit writes nothing"))
    import tutor.course.loader as loader
    monkeypatch.setattr(loader, "load_course", lambda paths: pytest.fail("a hit parses nothing"))
    course, problems = load_course_cached([lessons], where)
    assert (course, problems) == parsed
    assert [lesson.path for lesson in course.lessons] == [lesson.path for lesson in parsed[0].lessons]
    first = course.lessons[2].steps[1]
    assert first.scene.values == parsed[0].lessons[2].steps[1].scene.values
    assert isinstance(first.scene.params, tuple) and isinstance(course.lessons[0].cards, tuple)


def test_an_edited_lesson_is_parsed_again(lessons, tmp_path):
    where = tmp_path / "course.json"
    load_course_cached([lessons], where)
    path = sorted(lessons.glob("*.md"))[2]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: Recurrent neural networks", "title: Recurrent networks, renamed"),
                    encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))   # even within one clock tick
    course, _ = load_course_cached([lessons], where)
    assert course.find("rnn").title == "Recurrent networks, renamed"


def test_a_new_and_a_broken_lesson_are_seen(lessons, tmp_path):
    where = tmp_path / "course.json"
    load_course_cached([lessons], where)
    (lessons / "99-broken.md").write_text("---\nid: broken\n---\n## A step\ntext\n", encoding="utf-8")
    course, problems = load_course_cached([lessons], where)
    assert [b.path.name for b in course.broken] == ["99-broken.md"] and problems
    again, problems_again = load_course_cached([lessons], where)       # and the broken one is cached too
    assert again == course and problems_again == problems


@pytest.mark.parametrize("damage", [
    b"", b"not json", b"\xff\xfe garbage", b'{"key": 1}', b"[]",
    b'{"key": "K", "course": {"@": "os.system", "command": "echo hi"}, "problems": []}',
    b'{"key": "K", "course": {"@": "Course", "lessons": {"@": "tuple", "items": []}, "surprise": 1}, "problems": []}',
])
def test_a_damaged_cache_is_ignored_and_replaced(lessons, tmp_path, monkeypatch, damage):
    where = tmp_path / "course.json"
    real_key = cache.key
    monkeypatch.setattr(cache, "key", lambda files: "K")               # the damaged file's key matches
    where.write_bytes(damage)
    assert load_course_cached([lessons], where) == load_course([lessons])
    assert json.loads(where.read_text(encoding="utf-8"))["key"] == "K"   # written afresh
    monkeypatch.setattr(cache, "key", real_key)


def test_no_writable_place_means_no_cache(lessons, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache directory would be")
    where = blocked / "cache" / "course.json"
    assert load_course_cached([lessons], where) == load_course([lessons])
    assert not where.exists()


def test_the_key_follows_the_parser_code(lessons, tmp_path, monkeypatch):
    files = sorted(lessons.glob("*.md"))
    before = cache.key(files)
    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + 1)
    assert cache.key(files) != before
    monkeypatch.undo()
    assert cache.key(files) == before
    assert cache.key(files[:-1]) != before
