"""The top-level command builds its groups on first use: the listing in `nearshore --help` matches each
group's own help, every group runs as before, and neither `import nearshore` nor `nearshore --help` imports
the services or the heavy libraries behind them."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from nearshore.cli.main import GROUPS, app

HEAVY = ("numpy", "duckdb", "pyarrow", "matplotlib", "rich", "typer.rich_utils", "nearshore.services", "yaml")


@pytest.mark.parametrize("name", list(GROUPS))
def test_the_listing_matches_each_groups_own_help(name: str) -> None:
    group: Any = typer.main.get_command(app)
    command = group.get_command(typer.Context(group), name)
    assert command is not None
    first_paragraph = " ".join((command.help or "").split("\n\n")[0].split())
    assert first_paragraph == GROUPS[name][1]


def test_the_top_level_help_lists_every_group_and_runs_a_group() -> None:
    runner = CliRunner()
    listing = runner.invoke(app, ["--help"])
    assert listing.exit_code == 0
    for name, (_, short) in GROUPS.items():
        assert name in listing.output
        assert short.split()[0] in listing.output
    assert runner.invoke(app, ["tariff", "--help"]).exit_code == 0
    wrong = runner.invoke(app, ["tarif"])
    assert wrong.exit_code == 2
    assert "No such command 'tarif'" in wrong.output


@pytest.mark.parametrize(
    "code",
    [
        "import nearshore",
        "import sys; sys.argv = ['nearshore', '--help']\nfrom nearshore.cli.main import run\ntry: run()\n"
        "except SystemExit: pass",
        "import sys; sys.argv = ['nearshore', '--version']\nfrom nearshore.cli.main import run\ntry: run()\n"
        "except SystemExit: pass",
    ],
)
def test_import_and_help_stay_light(code: str) -> None:
    check = f"{code}\nimport sys\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
