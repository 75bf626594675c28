"""House rules that are cheap to check: public API declared once, settings documented."""

from __future__ import annotations

from pathlib import Path

import nearshore
from nearshore.settings import SETTINGS, Settings

ROOT = Path(__file__).resolve().parent.parent


def test_all_is_sorted_and_complete() -> None:
    assert nearshore.__all__ == sorted(nearshore.__all__)
    for name in nearshore.__all__:
        assert hasattr(nearshore, name), name


def test_docs_list_every_setting() -> None:
    text = (ROOT / "docs" / "settings.md").read_text()
    for setting in SETTINGS:
        assert f"`{setting.name}`" in text, setting.name
        assert f"`{setting.env}`" in text, setting.env
        assert setting.help in text, f"docs/settings.md has an old help text for {setting.name}"


def test_secrets_are_redacted() -> None:
    settings = Settings.load({"CENSUS_API_KEY": "s3cret"})
    assert settings.get("census_api_key") == "s3cret"
    assert "s3cret" not in repr(settings.redacted())


def _commands(group, path=()):  # type: ignore[no-untyped-def]
    import typer
    import typer.main

    click_group = typer.main.get_command(group) if not hasattr(group, "commands") else group
    yield path
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
