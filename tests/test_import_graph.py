"""The house's shape, from the code's own imports: nothing outside ``tests/`` imports ``tests``, no two
modules import each other at load time (directly or round a loop), and ``common/`` needs nothing but the
standard library, so both Python environments can import it; nor does ``vitext/`` need anything
either environment lacks."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = (
    "actions",
    "api",
    "benchmarks",
    "bot",
    "common",
    "deploy",
    "index",
    "knowledge",
    "modelbuild",
    "scripts",
    "vitext",
)


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, *, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _sources() -> dict[str, Path]:
    return {_module(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}


def test_nothing_outside_tests_imports_tests() -> None:
    offenders = {
        name: sorted(i for i in _imports(path, top_level_only=False) if i == "tests" or i.startswith("tests."))
        for name, path in _sources().items()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.parametrize("top_level_only", [True, False], ids=["at load time", "counting deferred imports"])
def test_no_import_cycle(top_level_only: bool) -> None:
    """Not even through an import inside a function: two modules that need each other are one idea."""
    sources = _sources()
    graph = {
        name: {i for i in _imports(path, top_level_only=top_level_only) if i in sources and i != name}
        for name, path in sources.items()
    }
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == []


def test_common_needs_only_the_standard_library() -> None:
    for path in sorted((ROOT / "common").rglob("*.py")):
        for name in _imports(path, top_level_only=False):
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or top in ("common", "__future__"), (path.name, name)


def test_vitext_needs_only_what_both_environments_install() -> None:
    allowed = {"common", "vitext", "__future__", "underthesea", "yaml"}
    for path in sorted((ROOT / "vitext").rglob("*.py")):
        for name in _imports(path, top_level_only=False):
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or top in allowed, (path.name, name)
