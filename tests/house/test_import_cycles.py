"""No import cycles between the project's modules, function-level imports included.

Every `import` and `from … import` anywhere in a module (at the top, or inside a
function that imports lazily) is an edge from that module to the project module it
names. A cycle makes the order of imports matter and the pieces impossible to read
alone, so none may exist. A package's __init__ counts as the package itself.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("tutor", "engine", "bench")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}


def resolve(name: str, known: dict[str, Path]) -> str | None:
    """The project module an imported name belongs to (a name inside a module is the module)."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            module = resolve(target, known)
            if module is not None and module != name:
                found.add(module)
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}          # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def graph() -> dict[str, set[str]]:
    known = modules()
    edges = {name: imports_of(name, path, known) for name, path in known.items()}
    # a package's __init__ importing its own submodules (lazy exports) is how a package is
    # built, not a cycle between pieces; the submodules importing the package's names back is
    for name, targets in edges.items():
        if (ROOT / Path(*name.split(".")) / "__init__.py").exists():
            edges[name] = {t for t in targets if not t.startswith(name + ".")}
    return edges


def test_the_project_has_no_import_cycle():
    cycle = find_cycle(graph())
    assert cycle is None, " → ".join(cycle)


@pytest.mark.parametrize("edges, cycle", [
    ({"a": {"b"}, "b": {"a"}}, ["a", "b", "a"]),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
    ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
])
def test_the_cycle_finder_finds_cycles(edges, cycle):
    assert find_cycle(edges) == cycle


def test_function_level_imports_count(tmp_path):
    known = {"pkg.a": tmp_path / "a.py", "pkg.b": tmp_path / "b.py"}
    known["pkg.a"].write_text("def f():\n    from .b import thing\n")
    assert imports_of("pkg.a", known["pkg.a"], known) == {"pkg.b"}
