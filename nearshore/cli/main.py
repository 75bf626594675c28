"""The `nearshore` command: a thin layer over the library, one module per command group."""

from __future__ import annotations

import typer

from nearshore._version import __version__
from nearshore.cli import archive, brief, data, keys, llm, newsletter, origin, scenario, serve, stats, tariff
from nearshore.cli import fetch as data_fetch

app = typer.Typer(
    name="nearshore",
    help="North American trade intelligence from official data.\n\nExample: nearshore data info",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(data.app, name="data")
data.app.add_typer(data_fetch.app, name="fetch")
app.add_typer(stats.app, name="stats")
app.add_typer(brief.app, name="brief")
app.add_typer(origin.app, name="origin")
app.add_typer(tariff.app, name="tariff")
app.add_typer(scenario.app, name="scenario")
app.add_typer(newsletter.app, name="newsletter")
app.add_typer(archive.app, name="archive")
app.add_typer(llm.app, name="llm")
app.add_typer(serve.app, name="serve")
app.add_typer(keys.app, name="api-key")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nearshore {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """North American trade intelligence from official data."""


def run() -> None:
    app()
