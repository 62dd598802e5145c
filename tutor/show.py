"""`tutor show`: print a scene's frame to the terminal with Rich, no TUI.

    tutor show --list
    tutor show gradient_decay --radius 1.2 --length 60
    tutor show self_attention --json      # the frame as JSON (tutor/frame_json.py)
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable

from tutor.params import ParamError, describe
from tutor.scenes.registry import SCENES, SceneSpec


class ShowError(Exception):
    """Bad scene id or parameters: one line for stderr."""


def parse_overrides(spec: SceneSpec, args: list[str]) -> dict:
    """`--name value` pairs (or `--name=value`) typed by the scene's parameters."""
    values: dict = {}
    known = {p.name: p for p in spec.params}
    i = 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("--"):
            raise ShowError(f"unexpected argument {arg!r}; parameters are given as --name value")
        name, eq, value = arg[2:].partition("=")
        name = name.replace("-", "_")
        if name not in known:
            listed = ", ".join(f"--{n}" for n in known) or "none"
            raise ShowError(f"scene {spec.id!r} has no parameter --{name} (parameters: {listed})")
        if not eq:
            if i + 1 >= len(args):
                raise ShowError(f"--{name} needs a value")
            i += 1
            value = args[i]
        try:
            values[name] = known[name].parse(value)
        except ParamError as exc:
            raise ShowError(f"bad parameter: {exc}") from None
        i += 1
    return values


def list_scenes(console, specs=None) -> None:
    """Each scene (all, or those given) with its description and parameters."""
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 2, 1, 0))
    table.add_column("scene")
    table.add_column("what it shows, and its parameters")
    for spec in SCENES.values() if specs is None else specs:
        body = Text(spec.description)
        for param in spec.params:
            body.append(f"\n  --{describe(param)}", style="dim")
        table.add_row(Text(spec.id, style="bold"), body)
    console.print(table)


def print_frame(console, frame) -> None:
    from rich.text import Text

    from tutor.render.look import Look

    look = Look(dark=True, mono=bool(os.environ.get("NO_COLOR")) or not console.is_terminal, printed=True)
    if frame.caption:
        console.print(Text(frame.caption, style="dim"))
    for panel in flatten(frame.panels):
        for line in render_panel(panel, console.width, look):
            console.print(Text.assemble(*[(s.text, s.style) for s in line]), soft_wrap=True)
        console.print()


def flatten(panels: Iterable) -> list:
    from tutor.frames import Row

    out = []
    for panel in panels:
        out.extend(flatten(panel.panels) if isinstance(panel, Row) else [panel])
    return out


def render_panel(panel, width: int, look):
    from tutor.render import RENDERERS

    return RENDERERS[type(panel)](panel, width, look)


def list_catalog(console, what: str) -> None:
    """--exercises: every exercise generator a card may name; --measures: every number a
    numeric prediction may ask for, with the scene that computes it."""
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 2, 0, 0))
    if what == "--exercises":
        from tutor.exercises import EXERCISES

        table.add_column("exercise")
        table.add_column("what it asks, and its parameters")
        for spec in EXERCISES.values():
            body = Text(spec.description)
            for param in spec.params:
                body.append(f"\n  {describe(param)}", style="dim")
            table.add_row(Text(spec.id, style="bold"), body)
    else:
        from tutor.scenes.measures import MEASURES

        table.add_column("measure")
        table.add_column("the number, computed by its scene")
        for spec in MEASURES.values():
            table.add_row(Text(spec.id, style="bold"), Text(spec.description))
    console.print(table)


def unknown_scene(name: str) -> str:
    """One line: no such scene, the close one if there is (self-attention → self_attention)."""
    import difflib

    ids = list(SCENES)
    close = difflib.get_close_matches(name.replace("-", "_").lower(), ids, n=1)
    guess = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown scene {name!r}{guess} (tutor show --list lists them)"


def run(args: list[str]) -> int:
    from rich.console import Console

    console = Console()
    if not args:  # a missing argument is a usage error, as with argparse
        print("tutor show: name a scene (tutor show --list lists them, --help explains)", file=sys.stderr)
        return 2
    if args[0] in ("-h", "--help"):
        print(HELP)
        return 0
    if args[0] == "--list":
        list_scenes(console)
        return 0
    if args[0] in ("--exercises", "--measures"):
        list_catalog(console, args[0])
        return 0
    spec = SCENES.get(args[0])
    try:
        if spec is None:
            raise ShowError(unknown_scene(args[0]))
        if any(a in ("-h", "--help") for a in args[1:]):  # one scene's own parameters
            list_scenes(console, [spec])
            return 0
        as_json, rest = _json_option(args[1:])
        frame_index, rest = _frame_option(rest)
        values = parse_overrides(spec, rest)
    except ShowError as exc:
        print(f"tutor show: {exc}", file=sys.stderr)
        return 2
    problem = spec.problem(values)  # a text file the scene cannot use: the command cannot do its job
    if problem:
        print(f"tutor show: {problem}", file=sys.stderr)
        return 1
    frames = compute_frames(spec, values)
    if not frames:
        print(f"tutor show: scene {spec.id!r} produced no frames", file=sys.stderr)
        return 1
    index = len(frames) - 1 if frame_index is None else min(max(frame_index - 1, 0), len(frames) - 1)
    if as_json:
        from tutor.frame_json import dumps, frame_document

        print(dumps(frame_document(frames[index], scene=spec.id, title=spec.title, index=index,
                                   count=len(frames), params=spec.resolve(values))))
        return 0
    console.print(f"[bold]{spec.title}[/]  frame {index + 1}/{len(frames)}")
    print_frame(console, frames[index])
    return 0


def compute_frames(spec: SceneSpec, values: dict) -> list:
    """All the scene's frames, with a spinner on stderr (training takes seconds) when it is a terminal."""
    from rich.console import Console

    err = Console(stderr=True)
    if not err.is_terminal:
        return list(spec.frames(values))
    frames: list = []
    with err.status(f"Running {spec.title}…") as status:
        for frame in spec.frames(values):
            frames.append(frame)
            status.update(f"Running {spec.title}… {len(frames)} frames")
    return frames


def _json_option(args: list[str]) -> tuple[bool, list[str]]:
    """Whether --json was given, and the arguments without it (a --PARAM's value may not be --json)."""
    rest, found, i = [], False, 0
    while i < len(args):
        if args[i] == "--json":
            found = True
        else:
            rest.append(args[i])
            if args[i].startswith("--") and "=" not in args[i] and i + 1 < len(args):
                i += 1
                rest.append(args[i])
        i += 1
    return found, rest


def _frame_option(args: list[str]) -> tuple[int | None, list[str]]:
    if "--frame" not in args:
        return None, args
    i = args.index("--frame")
    try:
        return int(args[i + 1]), args[:i] + args[i + 2:]
    except (IndexError, ValueError):
        raise ShowError("--frame needs a whole number (1 is the first frame)") from None


HELP = """usage: tutor show SCENE [--frame N] [--json] [--PARAM VALUE ...]
       tutor show --list
       tutor show SCENE --help
       tutor show --exercises | --measures

Print a scene's last frame (or frame N) to the terminal, without the TUI.
--json prints it as JSON instead: the caption, and each panel with its
kind and its fields (title, values, row_labels, col_labels, chart series
with label, x and y, ...); arrays are nested lists, and cells not computed
or not finite are null. --list shows every scene with its parameters;
SCENE --help, that scene's alone. --exercises lists the generators an
exercise card may name, and --measures the numbers a `kind: number`
prediction may ask for. NO_COLOR=1, or output to a pipe, draws grids with
shading characters."""
