"""The README stays true to the product: its pictures exist, every command is documented."""
from __future__ import annotations

import re
from pathlib import Path

from tutor.cli import SUBCOMMANDS

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_pictures_exist_and_come_from_the_script():
    pictures = re.findall(r"\]\((docs/images/[\w-]+\.svg)\)", README)
    assert {Path(p).stem for p in pictures} >= {"home", "lesson", "attention", "quiz"}
    for picture in pictures:
        svg = (ROOT / picture).read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "tutor" in svg, picture
    assert f'"{Path(pictures[0]).stem}"' in (ROOT / "docs" / "screenshots.py").read_text()


def test_every_command_and_the_two_quick_start_commands_are_documented():
    for command in SUBCOMMANDS:
        assert re.search(rf"^tutor {command}\b", README, re.MULTILINE), command
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert re.findall(r"^make \w+", quick, re.MULTILINE) == ["make run", "make test"]


README_KEY = {"question_mark": "?", "right": "→", "left": "←", "up": "↑", "down": "↓", "plus": "+",
              "minus": "-", "equals_sign": "=", "left_square_bracket": "[", "right_square_bracket": "]",
              "escape": "esc", "pageup": "pgup", "pagedown": "pgdn", "comma": ",", "full_stop": "."}


def test_every_key_is_in_the_readme_key_table():
    from ..ui.bindings import tutor_bindings

    table = README.split("## Keys", 1)[1].split("\n\n", 2)[1]
    documented = set()
    for row in table.splitlines()[2:]:
        keys_cell = row.split("|")[2]
        documented |= set(re.findall(r"`([^`]+)`", keys_cell))
        if "`1`…`9`" in keys_cell:
            documented |= {str(n) for n in range(1, 10)}
    assert {"q", "?", "→", "1", "9", "esc"} <= documented, documented
    for owner, binding in tutor_bindings():
        keys = [README_KEY.get(k.strip(), k.strip()) for k in binding.key.split(",")]
        assert documented & set(keys), f"{owner}: none of {keys} ({binding.description}) is in the README"
