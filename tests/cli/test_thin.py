"""The command line stays thin: command modules import only the CLI helpers, the services and the formatting
module; nothing below the services imports them; one progress bar, quiet with --quiet or off a terminal."""

from __future__ import annotations

import ast
import io
import sys
from pathlib import Path

import pytest

from nearshore.cli.progress import progress_bar
from nearshore.services.base import Step

PACKAGE = Path(__file__).resolve().parents[2] / "nearshore"
COMMAND_MODULES = ("archive", "brief", "data", "fetch", "newsletter", "origin", "scenario", "stats", "tariff")
ALLOWED_AT_TOP = ("nearshore.cli", "nearshore.services", "nearshore.format")


def _imports(path: Path, top_only: bool = False) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_only else list(ast.walk(tree))
    found = []
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
    return found


@pytest.mark.parametrize("name", COMMAND_MODULES)
def test_command_modules_import_services_not_engines(name: str) -> None:
    path = PACKAGE / "cli" / f"{name}.py"
    modules = _imports(path, top_only=True)
    engines = [m for m in modules if m.startswith("nearshore") and not m.startswith(ALLOWED_AT_TOP)]
    assert engines == []
    text = path.read_text(encoding="utf-8")
    assert "open_store" not in text
    assert "Store(" not in text


def test_every_command_is_built_from_a_service() -> None:
    for name in COMMAND_MODULES:
        tree = ast.parse((PACKAGE / "cli" / f"{name}.py").read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.decorator_list:
                decorator = node.decorator_list[0]
                assert isinstance(decorator, ast.Call), (name, node.name)
                assert getattr(decorator.func, "id", "") == "command", (name, node.name)


def test_nothing_below_the_services_imports_them() -> None:
    for path in PACKAGE.rglob("*.py"):
        part = path.relative_to(PACKAGE).parts[0]
        modules = _imports(path)
        if part not in ("services", "cli", "api", "web", "__main__.py"):
            assert not [m for m in modules if m.startswith(("nearshore.services", "nearshore.cli"))], path
        if part in ("services", "api", "web"):  # the HTTP layers sit beside the CLI, over the services
            assert not [m for m in modules if m.startswith("nearshore.cli")], path
    assert not [m for m in _imports(PACKAGE / "format.py") if m.startswith("nearshore")]


def test_one_progress_bar() -> None:
    built = [p.name for p in (PACKAGE / "cli").glob("*.py") if "Progress(" in p.read_text(encoding="utf-8")]
    assert built == ["progress.py"]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("quiet", "tty", "drawn"), [(False, True, True), (True, True, False), (False, False, False)])
def test_the_bar_is_quiet_with_quiet_or_off_a_terminal(
    monkeypatch: pytest.MonkeyPatch, quiet: bool, tty: bool, drawn: bool
) -> None:
    stderr = Terminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    with progress_bar(quiet) as step:
        step(Step("rating groups", 1, 4))
        step(Step("rating groups", 4, 4))
    assert bool(stderr.getvalue()) is drawn
