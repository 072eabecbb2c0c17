"""The import graph of src/policylint has no cycles.

A circle between modules means neither can be read, tested or moved without the other, and it is
how layering quietly erodes: one convenient import back up and two parts become one. The graph is
computed from the source with ast (not by importing), so it sees every import: absolute and
relative, at module level, inside functions and under ``TYPE_CHECKING``.

Run as a script (``python tests/test_import_graph.py``) it prints the cycles it finds.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "src" / "policylint"


def module_names(package_dir: Path = PACKAGE_DIR) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name, not ``.__init__``)."""
    names: dict[str, Path] = {}
    root = package_dir.parent
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _base_of(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute module an ``ImportFrom`` names before its imported names."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join([*package, node.module] if node.module else package)


def _targets(module: str, path: Path, node: ast.AST, known: dict[str, Path]) -> Iterator[str]:
    """The package's own modules one import statement loads."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name in known:
                yield alias.name
    elif isinstance(node, ast.ImportFrom):
        base = _base_of(module, path, node)
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            if submodule in known:
                yield submodule
            elif base in known:
                yield base


def import_graph(package_dir: Path = PACKAGE_DIR) -> dict[str, set[str]]:
    """Module -> the package's modules it imports anywhere in its source."""
    known = module_names(package_dir)
    graph: dict[str, set[str]] = {name: set() for name in known}
    for module, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            graph[module].update(t for t in _targets(module, path, node, known) if t != module)
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, round about (Tarjan), largest first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups, key=len, reverse=True)


def a_cycle(graph: dict[str, set[str]], group: list[str]) -> list[str]:
    """One concrete circle inside a strongly connected group, for the failure message."""
    members = set(group)
    start = group[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node] & members):
            if nxt == start:
                return [*paths[node], start]
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    return group


def test_the_graph_sees_relative_absolute_and_function_level_imports(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("from .a import x\n")
    (package / "a.py").write_text("x = 1\ndef f():\n    from pkg.sub import b\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "b.py").write_text("from .. import a\nfrom . import c\n")
    (package / "sub" / "c.py").write_text("import pkg.a\n")
    graph = import_graph(package)
    assert graph == {
        "pkg": {"pkg.a"},
        "pkg.a": {"pkg.sub.b"},
        "pkg.sub": set(),
        "pkg.sub.b": {"pkg.a", "pkg.sub.c"},
        "pkg.sub.c": {"pkg.a"},
    }
    assert strongly_connected(graph) == [["pkg.a", "pkg.sub.b", "pkg.sub.c"]]


def test_src_policylint_has_no_import_cycles() -> None:
    graph = import_graph()
    assert len(graph) > 40, "the graph should cover the whole package"
    circles = [" -> ".join(a_cycle(graph, group)) for group in strongly_connected(graph)]
    assert circles == [], "import cycles in src/policylint:\n" + "\n".join(circles)


if __name__ == "__main__":
    found = strongly_connected(import_graph())
    for group in found:
        print(f"{len(group)} modules: {' -> '.join(a_cycle(import_graph(), group))}")
        print("   ", ", ".join(group))
    print(f"{len(found)} cycle group(s)")
    sys.exit(1 if found else 0)
