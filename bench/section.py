"""One benchmark section, run where it is called (bench/__main__.py calls it in a fresh process)."""
from __future__ import annotations

import importlib


def run_section(name: str) -> list:
    """The rows of module `name`'s run(); none if the module is not there."""
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return []
    return module.run()
