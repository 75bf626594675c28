"""The `nearshore` command: a thin layer over the library, one module per command group.

Each group's module (and the services, NumPy, DuckDB... behind it) is imported only when that group runs, so
`nearshore --help` and `nearshore --version` stay fast. The list of groups below gives each one's short help for
the top-level listing; a test checks it against the group's own help.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from nearshore._version import __version__
from nearshore.cli.coercion import quicken

if TYPE_CHECKING:
    from typer import _click as click  # Typer's own copy of click, which its groups are built on

# command -> (module whose `app` it runs, its one-line help in `nearshore --help`), in listing order
GROUPS: dict[str, tuple[str, str]] = {
    "data": (
        "nearshore.cli.data",
        "The official-data store: info, load, loads, seed, snapshot; export, tariff-panels, gravity (docs/scale.md).",
    ),
    "stats": (
        "nearshore.cli.stats",
        "Trade analytics: shares, ranks, growth, balances, sectors, USMCA utilisation, tariff-event windows, "
        "duty rates.",
    ),
    "brief": (
        "nearshore.cli.brief",
        "Write the brief: a verified, charted, fully sourced trade brief from the official data in the store.",
    ),
    "origin": ("nearshore.cli.origin", "USMCA rules of origin: check, what-if, certify, rule, rules, batch."),
    "tariff": ("nearshore.cli.tariff", "U.S. tariffs: the schedule, duty with its legal basis, landed cost, panels."),
    "scenario": (
        "nearshore.cli.scenario",
        "Scenarios: structural gravity estimates and general-equilibrium counterfactuals; a tariff change (partial "
        "equilibrium) and a rules-of-origin change over a BOM portfolio.",
    ),
    "newsletter": ("nearshore.cli.newsletter", "The newsletter: subscribers, issues, sending, bounces, errata."),
    "archive": ("nearshore.cli.archive", "The newsletter archive: static site, feeds, errata check."),
    "llm": ("nearshore.cli.llm", "The LLM writer's model."),
    "serve": (
        "nearshore.cli.serve",
        "Serve the HTTP API (/v1; OpenAPI at /openapi.json, docs at /docs) and the dashboard (/) until Ctrl-C.",
    ),
    "api-key": ("nearshore.cli.keys", "API keys for the HTTP API's writes (nearshore serve)."),
}
HELP = ["-h", "--help"]


def load_group(name: str) -> click.Command:
    """The click group of command `name`, its module imported now."""
    sub: typer.Typer = importlib.import_module(GROUPS[name][0]).app
    if name == "data":
        from nearshore.cli import fetch

        sub.add_typer(fetch.app, name="fetch")
    sub.rich_markup_mode = app.rich_markup_mode  # one look for every command's help and usage errors
    group = typer.main.get_group(sub)
    group.name = name
    quicken(group, HELP)  # plain values converted without pydantic (see nearshore/cli/coercion.py)
    return group


class LazyGroup(TyperGroup):
    """The top-level group: the command groups are listed from GROUPS and built on first use."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        quicken(self, HELP)  # --version and --help read without pydantic
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*GROUPS, *(name for name in super().list_commands(ctx) if name not in GROUPS)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in GROUPS and cmd_name not in self.commands:
            self.add_command(load_group(cmd_name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help) for name, (_, help) in GROUPS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


app = typer.Typer(
    name="nearshore",
    cls=LazyGroup,
    help="North American trade intelligence from official data.\n\nExample: nearshore data info",
    no_args_is_help=True,
    # help as wide as the terminal (COLUMNS), as Rich's was, not Click's 80 columns
    context_settings={"help_option_names": HELP, "max_content_width": 10_000},
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help and usage errors: rich's renderer costs ~0.2 s a command
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nearshore {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """North American trade intelligence from official data."""


def run(args: Any = None) -> None:
    app(args)
