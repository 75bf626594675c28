"""`nearshore tariff`: the stacked U.S. duty on an HTS line, origin and date, and its legal basis."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import typer

from nearshore.cli import tariff_tables as tables
from nearshore.cli.commands import command
from nearshore.cli.output import FORMAT_OPTION, QUIET_OPTION, Format, note, show
from nearshore.services import policy, series, tariffs

if TYPE_CHECKING:
    from nearshore.services.base import Result

app = typer.Typer(
    help="U.S. tariffs: the schedule, duty with its legal basis, landed cost, panels.\n\n"
    "Example: nearshore tariff duty --hts 8708.99.81 --origin MX --value 10000 --date 2025-06-01",
    no_args_is_help=True,
)


@command(app, "schedule", policy.schedule)
def schedule(result: Result[Any], fmt: Format = FORMAT_OPTION, quiet: bool = QUIET_OPTION) -> None:
    """The HTS schedule in the store: parse coverage of every rate text, or one line's rates.

    Example: nearshore tariff schedule --report
    """
    show(result, fmt, quiet=quiet)


@command(app, "duty", tariffs.duty)
def duty(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """The stacked duty on one entry line: every layer with its Chapter 99 heading, basis, rate and legal basis.

    Example: nearshore tariff duty --hts 8708.99.81 --origin MX --value 10000 --date 2025-06-01
    """
    show(result, fmt, tables.duty)


@command(app, "compare", tariffs.compare)
def compare(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """Landed cost of one good from several origins: duty layers, MPF, HMF, freight and insurance.

    Example: nearshore tariff compare --hts 8708.99.81 --value 10000 --origins MX,CN,VN,US --date 2025-06-01 --usmca
    """
    show(result, fmt, tables.compare)


@command(app, "batch", tariffs.batch)
def batch(
    result: Result[Any],
    fmt: Format = typer.Option(Format.csv, "--format", "-f", help="Output format: csv, json or table."),
    quiet: bool = QUIET_OPTION,
) -> None:
    """The duty on many entry lines (vectorised), one output row per input row.

    Example: nearshore tariff batch entries.csv --format json > duties.json
    """
    show(result, fmt, tables.batch, quiet=quiet)
    sys.stdout.flush()  # the rows first, the notes after them on stderr
    for line in [*result.notes, *(["each line's duty layers: --format csv or json"] if fmt is Format.table else [])]:
        note(line, quiet)


policy_app = typer.Typer(
    help="The tariff policy file: measures, product lists, stacking rules.\n\nExample: nearshore tariff policy show"
)
app.add_typer(policy_app, name="policy")


@command(policy_app, None, policy.policy_coverage, bare_help=True)
def policy_coverage(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """The tariff policy file: measures, product lists, stacking rules.

    Example: nearshore tariff policy --coverage
    """
    show(result, fmt)


@command(policy_app, "show", policy.policy_show)
def policy_show(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """The measures of the policy file, their dates, rates, exemptions and stacking rules.

    Example: nearshore tariff policy show --format json
    """
    show(result, fmt, tables.policy)


@command(policy_app, "build", policy.policy_build)
def policy_build(result: Result[Any], fmt: Format = FORMAT_OPTION, quiet: bool = QUIET_OPTION) -> None:
    """Re-derive the policy's product lists from the official Chapter 99 text and write them into the package.

    Example: nearshore tariff policy build chapter99_2026_rev_6.txt.gz
    """
    show(result, fmt, tables.policy, quiet=quiet)


@command(app, "panel", tariffs.panel)
def panel(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """Every HTS10 line x partner tariff rate at a date, by authority, written to Parquet.

    Example: nearshore tariff panel --date 2025-09-01 --out panel.parquet
    """
    show(result, fmt, tables.panel)


@command(app, "effective", tariffs.effective)
def effective(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """Trade-weighted effective tariff rate on the actual import mix, beside the Census collected rate.

    Example: nearshore tariff effective --partner MEX --year 2025
    """
    show(result, fmt, tables.effective)


@command(app, "series", series.series)
def series_cmd(result: Result[Any], fmt: Format = FORMAT_OPTION, quiet: bool = QUIET_OPTION) -> None:
    """The import-weighted average U.S. tariff by partner and day, split by authority, with its weights stated.

    Example: nearshore tariff series --partner MEX,CAN,CHN,ALL --from 2025-01-01 --to 2026-12-31 --chart series.svg
    """
    show(result, fmt, tables.series, quiet=quiet)
