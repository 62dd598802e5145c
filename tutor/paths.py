"""Where things live: the shipped lessons and the learner's data directory."""
from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "tutor"


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
    """Copies that can always be made again (the parsed course); under TUTOR_HOME if set."""
    override = os.environ.get("TUTOR_HOME")
    if override:
        return Path(override).expanduser() / "cache"
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def store_path() -> Path:
    return data_dir() / "progress.sqlite3"
