"""No two modules of the project import each other, directly or around a loop.

Read from the source (AST), so an import inside a function counts as well: it is a loop all the same, only found
later. Imports under `if TYPE_CHECKING:` do not run and do not count.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import ROOT

PACKAGES = ("container_infra", "templates")


def module_files() -> dict[str, Path]:
    files = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return files


def imported(tree: ast.AST, known: dict[str, Path]) -> set[str]:
    """The project modules a module imports: `from a.b import c` is a.b.c when that is a module, else a.b."""
    names: set[str] = set()
    pending = [tree]
    while pending:
        node = pending.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                pending.extend(child.orelse)
                continue
            if isinstance(child, ast.Import):
                names.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module:
                for alias in child.names:
                    submodule = f"{child.module}.{alias.name}"
                    names.add(submodule if submodule in known else child.module)
            pending.append(child)
    return names & known.keys()


def loops(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of modules that reach each other (strongly connected, more than one module)."""
    reach = {module: _reachable(graph, module) for module in graph}
    found: list[set[str]] = []
    for module in sorted(graph):
        group = {other for other in reach[module] if module in reach[other]}
        if len(group) > 1 and group not in found:
            found.append(group)
    return found


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    pending = [start]
    while pending:
        for target in graph.get(pending.pop(), ()):
            if target not in seen:
                seen.add(target)
                pending.append(target)
    return seen


def project_graph() -> dict[str, set[str]]:
    files = module_files()
    return {name: imported(ast.parse(path.read_text(encoding="utf-8")), files) - {name} for name, path in files.items()}


def test_no_module_imports_itself_around_a_loop():
    assert loops(project_graph()) == []


def test_the_check_finds_a_loop():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert loops(graph) == [{"a", "b", "c"}]


def test_a_function_level_import_counts_and_a_type_checking_one_does_not():
    known = {"p": Path(), "p.a": Path(), "p.b": Path(), "p.c": Path()}
    source = """
from typing import TYPE_CHECKING
from p import a
if TYPE_CHECKING:
    from p.c import Thing
def f():
    from p.b import g
"""
    assert imported(ast.parse(source), known) == {"p.a", "p.b"}
