"""`nearshore tariff`: the stacked U.S. duty on an HTS line, origin and date, and its legal basis."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from nearshore.cli.output import FORMAT_OPTION, QUIET_OPTION, Format, emit, handle_errors, note

app = typer.Typer(
    help="U.S. tariffs: the schedule, duty with its legal basis, landed cost, panels.\n\n"
    "Example: nearshore tariff duty --hts 8708.99.81 --origin MX --value 10000 --date 2025-06-01",
    no_args_is_help=True,
)

REVISION_OPTION = typer.Option(None, "--revision", help="HTS revision to use (default: the newest loaded).")

if TYPE_CHECKING:
    from nearshore.tariffs.service import View


def _show(view: View, fmt: Format) -> None:
    """Print a view in `fmt`; tables use the view's narrow layout when it has one (80-column terminals)."""
    shown = view.for_format(fmt.value)
    emit(shown.columns, shown.rows, fmt, title=shown.title, footer=shown.footer, meta=shown.meta)


@app.command("schedule")
@handle_errors
def schedule(
    hts: str = typer.Option(None, "--hts", help="Show one line: its rate texts and parsed rates."),
    report: bool = typer.Option(False, "--report", help="Print the rate-text parse coverage report."),
    load: Path = typer.Option(None, "--load", help="Load an HTS CSV/JSON export into the store first."),
    revision: str = REVISION_OPTION,
    vintage: str = typer.Option(None, "--vintage", help="With --load: the revision's effective month, YYYY-MM."),
    fmt: Format = FORMAT_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """The HTS schedule in the store: parse coverage of every rate text, or one line's rates.

    Example: nearshore tariff schedule --report
    """
    from nearshore.tariffs.service import schedule_view

    view = schedule_view(hts=hts, report=report, load=load, revision=revision, vintage=vintage)
    for message in view.notes:
        note(message, quiet)
    _show(view, fmt)


@app.command("duty")
@handle_errors
def duty(
    hts: str = typer.Option(..., "--hts", help="HTS code, 8 or 10 digits, with or without dots."),
    origin: str = typer.Option(..., "--origin", help="Country of origin: ISO2/ISO3 code or name (MX, MEX)."),
    value: float = typer.Option(..., "--value", help="Customs value in U.S. dollars."),
    on: str = typer.Option(..., "--date", help="Date of entry, YYYY-MM-DD."),
    quantity: float = typer.Option(None, "--quantity", help="Quantity, for specific (per-unit) rates."),
    unit: str = typer.Option(None, "--unit", help="Unit of the quantity (kg, liter, each...)."),
    usmca: bool = typer.Option(False, "--usmca", help="The goods qualify for and claim USMCA (CA/MX only)."),
    program: str = typer.Option(None, "--program", help="Another special programme claimed (e.g. KR, AU)."),
    metal_value: float = typer.Option(None, "--metal-value", help="Value of the steel/aluminium/copper content."),
    us_content: float = typer.Option(None, "--us-content", help="U.S. content value of a USMCA vehicle."),
    auto_part: bool = typer.Option(
        None,
        "--auto-part/--not-auto-part",
        help="The goods are (not) parts of passenger vehicles or light trucks "
        "(Section 232 auto parts; default: chapter 87 lines only).",
    ),
    claim: list[str] = typer.Option(
        None,
        "--claim",
        help="A Chapter 99 heading the importer claims (repeatable), e.g. 9903.82.03 (metal under 15% by weight), "
        "9903.82.06 (U.S. metal), 9903.82.18 (authorised USMCA steel), 9903.79.01 (note 39 chips).",
    ),
    revision: str = REVISION_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """The stacked duty on one entry line: every layer with its Chapter 99 heading, basis, rate and legal basis.

    Example: nearshore tariff duty --hts 8708.99.81 --origin MX --value 10000 --date 2025-06-01
    """
    from nearshore.tariffs.service import duty_view

    view = duty_view(
        hts=hts,
        origin=origin,
        value=value,
        on=on,
        quantity=quantity,
        unit=unit,
        usmca=usmca,
        program=program,
        metal_value=metal_value,
        us_content=us_content,
        auto_part=auto_part,
        revision=revision,
        claims=tuple(claim or ()),
    )
    _show(view, fmt)


@app.command("compare")
@handle_errors
def compare(
    hts: str = typer.Option(..., "--hts", help="HTS code."),
    value: float = typer.Option(..., "--value", help="Customs value in U.S. dollars (the same for every origin)."),
    origins: str = typer.Option("MX,CN,VN,US", "--origins", help="Comma-separated origins."),
    on: str = typer.Option(..., "--date", help="Date of entry, YYYY-MM-DD."),
    freight: str = typer.Option("0", "--freight", help="Freight in USD: one amount, or MX=120,CN=900."),
    insurance: str = typer.Option("0", "--insurance", help="Insurance in USD: one amount, or per origin."),
    usmca: bool = typer.Option(False, "--usmca", help="Goods from CA/MX qualify for USMCA."),
    mode: str = typer.Option("ocean", "--mode", help="Transport mode: ocean, air, truck or rail (HMF: ocean)."),
    quantity: float = typer.Option(None, "--quantity", help="Quantity, for specific rates."),
    unit: str = typer.Option(None, "--unit", help="Unit of the quantity."),
    metal_value: float = typer.Option(None, "--metal-value", help="Value of the metal content."),
    revision: str = REVISION_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Landed cost of one good from several origins: duty layers, MPF, HMF, freight and insurance.

    Example: nearshore tariff compare --hts 8708.99.81 --value 10000 --origins MX,CN,VN,US --date 2025-06-01 --usmca
    """
    from nearshore.tariffs.service import compare_view

    view = compare_view(
        hts=hts,
        value=value,
        on=on,
        origins=origins,
        freight=freight,
        insurance=insurance,
        usmca=usmca,
        mode=mode,
        quantity=quantity,
        unit=unit,
        metal_value=metal_value,
        revision=revision,
    )
    _show(view, fmt)


@app.command("batch")
@handle_errors
def batch(
    path: Path = typer.Argument(
        ...,
        help="CSV or JSON of entry lines: hts, origin, value, date "
        "[, quantity, unit, usmca, program, metal_value, us_content, auto_part].",
    ),
    revision: str = REVISION_OPTION,
    fmt: Format = typer.Option(Format.csv, "--format", "-f", help="Output format: csv, json or table."),
    quiet: bool = QUIET_OPTION,
) -> None:
    """The duty on many entry lines (vectorised), one output row per input row.

    Example: nearshore tariff batch entries.csv --format json > duties.json
    """
    import sys

    from nearshore.tariffs.service import batch_view

    if quiet or not sys.stderr.isatty():
        view = batch_view(path=path, revision=revision)
    else:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("rating groups", total=None)
            view = batch_view(
                path=path, revision=revision, progress=lambda done, total: bar.update(task, completed=done, total=total)
            )
    shown = view.for_format(fmt.value)
    emit(shown.columns, shown.rows, fmt, title=shown.title, meta=shown.meta)
    sys.stdout.flush()
    for message in shown.footer:
        note(message, quiet)


policy_app = typer.Typer(
    help="The tariff policy file: measures, product lists, stacking rules.\n\nExample: nearshore tariff policy show",
    invoke_without_command=True,
)
app.add_typer(policy_app, name="policy")


@policy_app.callback()
@handle_errors
def policy_main(
    ctx: typer.Context,
    coverage: bool = typer.Option(
        False, "--coverage", help="Print the last recorded action, its HTS revision and the scheduled changes ahead."
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """The tariff policy file: measures, product lists, stacking rules.

    Example: nearshore tariff policy --coverage
    """
    if ctx.invoked_subcommand is not None:
        return
    if not coverage:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)
    from nearshore.tariffs.service import coverage_view

    _show(coverage_view(), fmt)


@policy_app.command("show")
@handle_errors
def policy_show(fmt: Format = FORMAT_OPTION) -> None:
    """The measures of the policy file, their dates, rates, exemptions and stacking rules.

    Example: nearshore tariff policy show --format json
    """
    from nearshore.tariffs.service import policy_view

    view = policy_view()
    _show(view, fmt)


@policy_app.command("build")
@handle_errors
def policy_build(
    path: Path = typer.Argument(..., help="The Chapter 99 text (chapter99_2026_rev_6.txt.gz)."),
    fmt: Format = FORMAT_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """Re-derive the policy's product lists from the official Chapter 99 text and write them into the package.

    Example: nearshore tariff policy build chapter99_2026_rev_6.txt.gz
    """
    from nearshore.tariffs.service import policy_view

    view = policy_view(build=path)
    for message in view.notes:
        note(message, quiet)
    _show(view, fmt)


@app.command("panel")
@handle_errors
def panel(
    on: str = typer.Option(..., "--date", help="Date, YYYY-MM-DD."),
    out: Path = typer.Option(..., "--out", help="Parquet file to write."),
    partners: str = typer.Option(None, "--partners", help="Comma-separated partners (default: all ~247)."),
    revision: str = REVISION_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Every HTS10 line x partner tariff rate at a date, by authority, written to Parquet.

    Example: nearshore tariff panel --date 2025-09-01 --out panel.parquet
    """
    from nearshore.tariffs.service import panel_view

    view = panel_view(on=on, out=out, partners=partners, revision=revision)
    _show(view, fmt)


@app.command("effective")
@handle_errors
def effective(
    partner: str = typer.Option(..., "--partner", help="Partner country (MEX, CAN...)."),
    year: int = typer.Option(..., "--year", help="Year of imports."),
    claims: str = typer.Option(
        "census",
        "--claims",
        help="USMCA claims: census (each month's DataWeb claims scaled to the Census USMCA series 0021/0022), "
        "monthly (DataWeb's own) or second-half (Jul-Dec share of each line, for every month).",
    ),
    revision: str = REVISION_OPTION,
    as_of: str = typer.Option(None, "--as-of", help="Figures as they stood at this vintage (YYYY-MM)."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Trade-weighted effective tariff rate on the actual import mix, beside the Census collected rate.

    Example: nearshore tariff effective --partner MEX --year 2025
    """
    from nearshore.tariffs.service import effective_view

    view = effective_view(partner=partner, year=year, claims=claims, revision=revision, as_of=as_of)
    _show(view, fmt)


@app.command("series")
@handle_errors
def series(
    partner: str = typer.Option(
        "MEX,CAN,CHN,ALL", "--partner", help="Comma-separated partners (ISO codes or names) and/or ALL (every partner)."
    ),
    start: str = typer.Option("2025-01-01", "--from", help="First day, YYYY-MM-DD (not before 2025-01-01)."),
    end: str = typer.Option("2026-12-31", "--to", help="Last day, YYYY-MM-DD."),
    claims: str = typer.Option(
        "second-half",
        "--claims",
        help="USMCA claims on Canadian and Mexican lines: second-half (each line's Jul-Dec claimed share), "
        "year (the year's share) or none (no claims: the upper bound).",
    ),
    weights: str = typer.Option(
        "auto",
        "--weights",
        help="auto (HTS10 where the store has it, HS chapters elsewhere) or hs2 (chapters for all).",
    ),
    daily: bool = typer.Option(False, "--daily", help="One row per day instead of one per step."),
    chart: Path = typer.Option(None, "--chart", help="Also write a chart of the totals (.png or .svg)."),
    hts10_year: int = typer.Option(None, "--hts10-year", help="Year of the HTS10 weights (default: last complete)."),
    hs2_year: int = typer.Option(None, "--hs2-year", help="Year of the HS chapter weights (default: last complete)."),
    revision: str = REVISION_OPTION,
    fmt: Format = FORMAT_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """The import-weighted average U.S. tariff by partner and day, split by authority, with its weights stated.

    Example: nearshore tariff series --partner MEX,CAN,CHN,ALL --from 2025-01-01 --to 2026-12-31 --chart series.svg
    """
    from nearshore.tariffs.series_view import series_view

    view = series_view(
        partners=partner,
        start=start,
        end=end,
        claims=claims,
        weights=weights,
        daily=daily,
        chart=chart,
        hts10_year=hts10_year,
        hs2_year=hs2_year,
        revision=revision,
    )
    for message in view.notes:
        note(message, quiet)
    _show(view, fmt)
