"""`nearshore tariff`: the stacked U.S. duty on an HTS line, origin and date, and its legal basis."""

from __future__ import annotations

from pathlib import Path

import typer

from nearshore.cli.output import FORMAT_OPTION, QUIET_OPTION, Format, emit, handle_errors, note

app = typer.Typer(help="U.S. tariffs: the schedule, duty with its legal basis, landed cost, panels.",
                  no_args_is_help=True)

REVISION_OPTION = typer.Option(None, "--revision", help="HTS revision to use (default: the newest loaded).")


@app.command("schedule")
@handle_errors
def schedule(
    hts: str = typer.Option(None, "--hts", help="Show one line: its rate texts and parsed rates."),
    report: bool = typer.Option(False, "--report", help="Print the rate-text parse coverage report."),
    load: Path = typer.Option(None, "--load", help="Load an HTS CSV/JSON export into the store first."),
    revision: str = REVISION_OPTION,
    fmt: Format = FORMAT_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """The HTS schedule in the store: parse coverage of every rate text, or one line's rates.

    Example: nearshore tariff schedule --report
    """
    from nearshore.tariffs.service import schedule_view

    view = schedule_view(hts=hts, report=report, load=load, revision=revision)
    for message in view.notes:
        note(message, quiet)
    emit(view.columns, view.rows, fmt, title=view.title, footer=view.footer, meta=view.meta)
