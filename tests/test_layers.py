"""The package's import graph: no cycle between modules, no import from a lower layer up to a higher one, and
nothing read from disk while a module is imported.

Every import counts: module level, inside functions, under TYPE_CHECKING, relative, and
`importlib.import_module("nearshore...")` with a literal name. A module may import its own layer and the
layers below it. A new top-level package or module must be added to LAYERS (docs/architecture.md says where).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "nearshore"

# lowest first; a name is the first component under nearshore/ (a folder or a module); "" is nearshore/__init__
LAYERS: tuple[tuple[str, ...], ...] = (
    ("_version", "_lazy", "errors", "setting", "settings_values", "settings", "format", "diskcache", "arrow"),
    ("data", "auth"),
    ("analytics", "tariffs", "charts"),
    ("origin", "writer", "scenarios", "delivery"),
    ("services",),
    ("cli", "api", "web"),
    ("", "__main__"),
)
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    file: Path
    line: int

    def __str__(self) -> str:
        return f"{self.source} -> {self.target} ({self.file}:{self.line})"


def modules(package: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file under `package`."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> Iterator[Edge]:
    """Every import of a module of the package made anywhere in `path`."""
    top = name.split(".")[0]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def edge(target: str, node: ast.AST) -> Edge:
        return Edge(name, target, path, getattr(node, "lineno", 0))

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (edge(a.name, node) for a in node.names if a.name.split(".")[0] == top)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if module.split(".")[0] != top:
                continue
            for alias in node.names:
                target = f"{module}.{alias.name}"
                yield edge(target if target in known else module, node)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and str(node.args[0].value).split(".")[0] == top
        ):
            yield edge(str(node.args[0].value), node)


def graph(package: Path) -> tuple[dict[str, Path], list[Edge]]:
    known = modules(package)
    edges = [e for name, path in known.items() for e in imports(name, path, known) if e.target != name]
    return known, [e for e in edges if e.target in known]


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def upward(edges: list[Edge]) -> list[Edge]:
    return [e for e in edges if RANK[layer_of(e.target)] > RANK[layer_of(e.source)]]


def cycles(known: dict[str, Path], edges: list[Edge]) -> list[list[str]]:
    """Each strongly connected group of more than one module, as one cycle through it (Tarjan, iterative)."""
    out: dict[str, list[str]] = {m: [] for m in known}
    for e in edges:
        out[e.source].append(e.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in known:
        if start in index:
            continue
        work = [(start, iter(out[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(_cycle_through(sorted(group), out))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(out[child])))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return groups


def _cycle_through(group: list[str], out: dict[str, list[str]]) -> list[str]:
    """A path from the group's first module back to itself, inside the group (breadth first)."""
    members, start = set(group), group[0]
    previous: dict[str, str] = {}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in out[node]:
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if child in members and child not in previous:
                previous[child] = node
                queue.append(child)
    return group


def test_every_package_has_a_layer() -> None:
    known, _ = graph(PACKAGE)
    assert sorted({layer_of(m) for m in known} - set(RANK)) == []
    assert {"services", "scenarios", "delivery", "api"} <= set(RANK)  # placed before they exist


def test_no_import_cycles() -> None:
    known, edges = graph(PACKAGE)
    assert [" -> ".join(c) for c in cycles(known, edges)] == []


def test_no_upward_imports() -> None:
    _, edges = graph(PACKAGE)
    assert [str(e) for e in upward(edges)] == []


def test_the_checks_find_a_cycle_and_an_upward_import(tmp_path: Path) -> None:
    """The same checks on a small made-up package with one of each fault (so they can fail)."""
    files = {
        "__init__.py": "",
        "data/__init__.py": "",
        "data/store.py": "def open():\n    from ..analytics import shares\n",
        "analytics/__init__.py": "",
        "analytics/shares.py": "import importlib\nX = importlib.import_module('fake.analytics.growth')\n",
        "analytics/growth.py": "from fake.analytics.shares import X\n",
        "writer/__init__.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from fake.cli import main\n",
        "cli/__init__.py": "",
        "cli/main.py": "from fake import data\n",
    }
    for name, text in files.items():
        path = tmp_path / "fake" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    known, edges = graph(tmp_path / "fake")
    assert cycles(known, edges) == [["fake.analytics.growth", "fake.analytics.shares", "fake.analytics.growth"]]
    assert [(e.source, e.target, e.line) for e in upward(edges)] == [
        ("fake.data.store", "fake.analytics.shares", 2),
        ("fake.writer", "fake.cli.main", 3),
    ]


READS = textwrap.dedent(
    """
    import ast, builtins, importlib, io, json, pathlib, pkgutil, sys

    package = pathlib.Path(sys.argv[1])
    for path in package.rglob("*.py"):  # third-party modules read their own files: import them first
        for node in ast.parse(path.read_text()).body:
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] != "nearshore":
                    importlib.import_module(name)
    reads = []

    def refuse(kind):
        def call(*args, **kwargs):
            reads.append(f"{kind} {args[0] if args else ''}")
            raise OSError(f"read while importing: {kind}")
        return call

    builtins.open = io.open = refuse("open")
    pathlib.Path.open = refuse("Path.open")
    pathlib.Path.read_text = refuse("Path.read_text")
    pathlib.Path.read_bytes = refuse("Path.read_bytes")
    failed = []
    for module in pkgutil.walk_packages([str(package)], "nearshore."):
        # __main__ runs the CLI; alembic's migration scripts run only inside alembic's own context
        if module.name.endswith("__main__") or ".migrations." in module.name:
            continue
        try:
            importlib.import_module(module.name)
        except Exception as exc:
            failed.append(f"{module.name}: {exc!r}")
    print(json.dumps({"reads": reads, "failed": failed}))
    """
)


def test_nothing_is_read_from_disk_at_import_time() -> None:
    done = subprocess.run(
        [sys.executable, "-c", READS, str(PACKAGE)], capture_output=True, text=True, check=True, timeout=300
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"reads": [], "failed": []}
