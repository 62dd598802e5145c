"""Where things live: the shipped lessons, a teacher's added lessons, and the learner's data directory.

A teacher adds a folder of lesson files to the course without touching the
installed package: `tutor --lessons DIR` or TUTOR_LESSONS=DIR[:DIR…]. They
are read after the shipped ones, so a lesson whose id is already taken is
reported as broken (tutor.course.loader), never merged.
"""
from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "tutor"
LESSONS_VARIABLE = "TUTOR_LESSONS"


def lessons_dir() -> Path:
    """The lesson files: inside the wheel when installed, else the repo's lessons/."""
    packaged = Path(__file__).parent / "_lessons"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "lessons"


def data_dir() -> Path:
    """The learner's data directory; TUTOR_HOME overrides the platform default."""
    override = os.environ.get("TUTOR_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """Copies that can always be made again (the parsed course): TUTOR_CACHE if set (tutor serve
    shares one across its visitors), else under TUTOR_HOME if set."""
    shared = os.environ.get("TUTOR_CACHE")
    if shared:
        return Path(shared).expanduser()
    override = os.environ.get("TUTOR_HOME")
    if override:
        return Path(override).expanduser() / "cache"
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def store_path() -> Path:
    return data_dir() / "progress.sqlite3"


def extra_lesson_dirs() -> list[Path]:
    """The teacher's lesson directories from TUTOR_LESSONS, in order, without repeats."""
    value = os.environ.get(LESSONS_VARIABLE, "")
    dirs = [Path(part).expanduser() for part in value.split(os.pathsep) if part.strip()]
    return list(dict.fromkeys(dirs))


def course_dirs() -> list[Path]:
    """Where the course's lesson files are: the shipped ones first, then the teacher's."""
    return [lessons_dir(), *extra_lesson_dirs()]


def take_lessons_options(argv: list[str]) -> tuple[list[str], str | None]:
    """argv without its `--lessons DIR` options (added to TUTOR_LESSONS), or an error.

    `tutor show`'s own arguments are scene parameters and are left alone.
    """
    rest, dirs, i = [], [], 0
    while i < len(argv):
        word = argv[i]
        if word == "show" and not rest:
            rest.extend(argv[i:])
            break
        if word == "--lessons" or word.startswith("--lessons="):
            value = word.partition("=")[2] if "=" in word else (argv[i + 1] if i + 1 < len(argv) else None)
            if not value:
                return argv, "--lessons needs a directory of lesson files (tutor --lessons DIR)"
            folder = Path(value).expanduser()
            if not folder.is_dir():
                return argv, f"--lessons {value}: no such directory"
            dirs.append(str(folder.resolve()))
            i += 1 if "=" in word else 2
            continue
        rest.append(word)
        i += 1
    if dirs:
        old = os.environ.get(LESSONS_VARIABLE)
        os.environ[LESSONS_VARIABLE] = os.pathsep.join(dirs + ([old] if old else []))
    return rest, None
