"""The key bindings the tutor declares, for tests that hold them to the help, the key bar and the README."""
from __future__ import annotations

import importlib
import inspect
import pkgutil

import tutor


def tutor_bindings():
    """Every BINDINGS list a tutor class declares, as (class name, entry)."""
    names = [m.name for m in pkgutil.walk_packages(tutor.__path__, "tutor.")
             if m.name.startswith(("tutor.app", "tutor.commands", "tutor.screens", "tutor.widgets"))]
    found = []
    for name in names:
        module = importlib.import_module(name)
        for cls in vars(module).values():
            if inspect.isclass(cls) and cls.__module__ == name and "BINDINGS" in vars(cls):
                found += [(f"{name}.{cls.__name__}", entry) for entry in cls.BINDINGS]
    return found
