"""The engine never imports the UI; the CLI's light paths import neither UI nor NumPy."""
import json
import subprocess
import sys


def loaded_modules(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True).stdout
    return set(json.loads(out.splitlines()[-1]))


def import_every_module(package: str) -> str:
    """Code that imports every module of `package`: the engine loads its names lazily,
    so importing a few names would leave most modules unchecked."""
    return (f"import importlib, pkgutil, {package} as p\n"
            "names = [m.name for m in pkgutil.iter_modules(p.__path__)]\n"
            f"assert len(names) >= 10, names\n"
            f"for n in names: importlib.import_module('{package}.' + n)\n")


def test_engine_imports_no_ui():
    mods = loaded_modules(import_every_module("engine"))
    assert {"engine.lstm", "engine.transformer", "engine.pretrain"} <= mods  # every module did load
    assert "numpy" in mods
    assert not {m for m in mods if m.split(".")[0] in ("textual", "rich", "torch")}


def test_scene_frame_generators_import_no_textual():
    """Scenes turn engine runs into frames, plain data; only the UI draws them."""
    mods = loaded_modules(import_every_module("tutor.scenes"))
    assert {"tutor.scenes.rnn_unroll", "tutor.scenes.registry"} <= mods
    assert not {m for m in mods if m.split(".")[0] == "textual"}


def test_lesson_checking_needs_no_numpy_or_textual():
    mods = loaded_modules("from tutor.course import load_course\nfrom tutor.paths import lessons_dir\n"
                          "load_course([lessons_dir()])")
    assert not {m for m in mods if m.split(".")[0] in ("numpy", "textual", "engine")}


def test_home_screen_modules_do_not_import_numpy():
    mods = loaded_modules("import tutor.app")
    assert "textual" in mods
    assert "numpy" not in mods


def test_course_map_does_not_import_the_lesson_screen_or_palette():
    mods = loaded_modules("import tutor.app")
    assert "tutor.screens.lesson" not in mods and "tutor.commands" not in mods
    assert "rich.markdown" not in mods  # the lesson text renderer


def test_a_start_with_the_course_cached_imports_only_what_the_course_map_shows(tmp_path):
    """bench/app.py's first paint: what the map does not show is imported when first used."""
    start = ("from tutor.course.cache import load_course_cached\nfrom tutor.paths import lessons_dir\n"
             f"load_course_cached([lessons_dir()], __import__('pathlib').Path({str(tmp_path / 'c.json')!r}))\n")
    loaded_modules(start)                                   # parses and writes the cache
    mods = loaded_modules(start + "import tutor.cli, tutor.app")      # reads it
    lazy = {"tutor.screens.help", "tutor.screens.settings", "tutor.scenes.registry", "tutor.exercises",
            "hashlib", "argparse", "tutor.course.parser"}
    assert not lazy & mods, lazy & mods
