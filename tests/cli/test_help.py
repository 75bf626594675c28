"""Every command and group answers --help, and every help has an example."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer


def _commands(group: object, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command path under `group`: a Typer app, or a click command or group as Typer builds it."""
    click_group: Any = typer.main.get_command(group) if isinstance(group, typer.Typer) else group
    yield path
    if not hasattr(click_group, "commands"):
        return
    context = typer.Context(click_group)
    for name in click_group.list_commands(context):  # the top level builds its groups on first use
        command = click_group.get_command(context, name)
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name)


def test_every_command_has_help_with_an_example() -> None:
    from typer.testing import CliRunner

    from nearshore.cli.main import app

    runner = CliRunner()
    paths = list(_commands(app))
    assert len(paths) > 30
    missing = []
    for path in paths:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, path
        if "Example" not in result.output:
            missing.append(" ".join(path))
    assert missing == []


def test_version_prints_the_one_written_version() -> None:
    """`nearshore --version` (the installed command) prints nearshore/_version.py's version, the one pyproject reads."""
    import subprocess
    import sys
    from pathlib import Path

    from nearshore._version import __version__

    command = Path(sys.executable).parent / "nearshore"
    argv = [str(command)] if command.exists() else [sys.executable, "-m", "nearshore"]
    shown = subprocess.run([*argv, "--version"], capture_output=True, text=True, check=True).stdout
    assert shown == f"nearshore {__version__}\n"
