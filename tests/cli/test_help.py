"""Every command and group answers --help, and every help has an example."""

from __future__ import annotations


def _commands(group, path=()):  # type: ignore[no-untyped-def]
    import typer.main

    click_group = typer.main.get_command(group) if not hasattr(group, "commands") else group
    yield path
    for name, command in getattr(click_group, "commands", {}).items():
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
