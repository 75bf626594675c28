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


def test_a_command_list_does_not_cut_at_abbreviations() -> None:
    """Click's own cut listed `stats balance` as "U.S."; the list keeps the first sentence whole when it fits."""
    from nearshore.cli.commands import short_help

    assert short_help("U.S. goods exports and imports. More text.") == "U.S. goods exports and imports"
    assert short_help("Rates, e.g. 25%, by line.\n\nDetails.") == "Rates, e.g. 25%, by line"
    long = "Composition of U.S. imports from a partner by named sector, HS chapter or HS section."
    assert short_help(long) == "Composition of U.S. imports from a partner by named..."
    assert short_help(None) is None


def test_every_listed_command_has_more_than_an_abbreviation() -> None:
    from typer.testing import CliRunner

    from nearshore.cli.main import app

    result = CliRunner().invoke(app, ["stats", "--help"])
    listed = {
        line.split()[0]: line.split(None, 1)[1]
        for line in result.output.split("Commands:")[1].splitlines()
        if line.strip()
    }
    assert listed["balance"].startswith("U.S. goods exports")
    assert all(len(text) > 8 for text in listed.values()), listed
