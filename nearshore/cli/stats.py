"""`nearshore stats`: trade analytics over the store, each figure printed with its source and vintage."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from nearshore.cli.output import FORMAT_OPTION, Format, emit, handle_errors

if TYPE_CHECKING:
    from nearshore.analytics.result import FigureTable
    from nearshore.data.store import Store

app = typer.Typer(
    help="Trade analytics: shares, ranks, growth, balances, sectors, USMCA utilisation, "
    "tariff-event windows, duty rates.\n\nExample: nearshore stats share --partner MEX --year 2024",
    no_args_is_help=True,
)

PARTNER = typer.Option(..., "--partner", "-p", help="Partner: ISO3 (MEX), ISO2 (MX), Census code (2010) or name.")
WORLD_PARTNER = typer.Option(
    None,
    "--partner",
    "-p",
    help="Partner (ISO3, ISO2, Census code or name); World, WLD or no --partner for the total over all countries.",
)
EACH_PARTNER = typer.Option(
    None, "--partner", "-p", help="Partner (ISO3, ISO2, Census code or name); omit for each partner with duty data."
)
FLOW = typer.Option("imports", "--flow", help="imports, exports or total (two-way trade).")
YEAR = typer.Option(..., "--year", "-y", help="Year, e.g. 2025.")
OPTIONAL_YEAR = typer.Option(None, "--year", "-y", help="Year; omit for every year held.")
MONTH = typer.Option(None, "--month", "-m", min=1, max=12, help="Month 1-12 (with --year).")
AS_OF = typer.Option(None, "--as-of", help="Figures as they stood at this vintage (YYYY-MM).")


def _show(table: FigureTable, fmt: Format) -> None:
    """Print a FigureTable: values in the unit named in each header (one precision per column in a table,
    full precision in JSON and CSV); source, vintage and notes below."""
    rows = table.table_rows() if fmt is Format.table else table.plain_rows()
    emit(
        table.headers(),
        rows,
        fmt,
        title=table.title,
        footer=table.provenance.footer(),
        meta={"result": table.to_dict()},
    )


def _store() -> Store:
    from nearshore.data.snapshot import open_store

    return open_store()


@app.command("share")
@handle_errors
def share_cmd(
    partner: str = PARTNER,
    flow: str = FLOW,
    year: int = OPTIONAL_YEAR,
    month: int = MONTH,
    monthly: bool = typer.Option(False, "--monthly", help="One row per month."),
    as_of: str = AS_OF,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """A partner's share of U.S. imports, exports or two-way trade, and its rank among countries.

    Without --year: every year held (a rank history).

    Example: nearshore stats share --partner MEX --flow imports --year 2024
    """
    from nearshore.analytics import share

    with _store() as store:
        _show(share(store, partner, flow=flow, year=year, month=month, monthly=monthly, as_of=as_of), fmt)


@app.command("top")
@handle_errors
def top_cmd(
    flow: str = FLOW,
    year: int = YEAR,
    month: int = MONTH,
    n: int = typer.Option(10, "-n", "--top", min=1, help="How many partners."),
    as_of: str = AS_OF,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """The top-N partner countries with shares, ranks and the change in rank from a year earlier.

    Example: nearshore stats top --flow imports --year 2023 -n 5
    """
    from nearshore.analytics import top

    with _store() as store:
        _show(top(store, flow=flow, year=year, month=month, n=n, as_of=as_of), fmt)


@app.command("growth")
@handle_errors
def growth_cmd(
    partner: str = WORLD_PARTNER,
    flow: str = FLOW,
    kind: str = typer.Option("yoy", "--kind", help="yoy, ytd (Jan..--month) or cagr."),
    year: int = YEAR,
    month: int = MONTH,
    start_year: int = typer.Option(None, "--start-year", help="First year of a CAGR span."),
    as_of: str = AS_OF,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Year-on-year, year-to-date or compound annual growth of a flow with a partner (or the world).

    Example: nearshore stats growth --partner MEX --kind ytd --year 2025 --month 6
    """
    from nearshore.analytics import growth

    with _store() as store:
        _show(
            growth(store, partner, flow=flow, kind=kind, year=year, month=month, start_year=start_year, as_of=as_of),
            fmt,
        )


@app.command("path")
@handle_errors
def path_cmd(
    start_value: float = typer.Option(
        ...,
        "--start-value",
        help="Value in the start year, in the unit of --in (default: U.S. dollars, e.g. 53.2e9 for $53.2B).",
    ),
    start_year: int = typer.Option(..., "--start-year", help="Start year."),
    end_year: int = typer.Option(..., "--end-year", help="End year."),
    end_value: float = typer.Option(
        None, "--end-value", help="Stated value in the end year, in the unit of --in: gives the implied CAGR."
    ),
    rate: float = typer.Option(
        None, "--rate", help="Stated growth rate, percent a year: gives the projected end value."
    ),
    unit: str = typer.Option(
        "units", "--in", help="Unit of --start-value and --end-value: units (dollars), thousands, millions or billions."
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """The arithmetic of a stated growth path: the CAGR two values imply, or the value a rate reaches.

    Values are U.S. dollars unless --in says otherwise: --start-value 53.2 --in billions is $53.2B.

    Example: nearshore stats path --start-value 53.2 --end-value 97.4 --in billions --start-year 2025 --end-year 2031
    """
    from nearshore.analytics import growth_path

    _show(growth_path(start_value, start_year, end_year, end_value=end_value, rate=rate, unit=unit), fmt)  # type: ignore[arg-type]


@app.command("balance")
@handle_errors
def balance_cmd(
    partner: str = WORLD_PARTNER,
    year: int = YEAR,
    month: int = MONTH,
    sector: str = typer.Option(None, "--sector", help="A named sector (needs HS-level exports)."),
    as_of: str = AS_OF,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """U.S. goods exports, imports and balance (exports - imports; negative = U.S. deficit) with a partner.

    Example: nearshore stats balance --partner MEX --year 2025
    """
    from nearshore.analytics import balance

    with _store() as store:
        _show(balance(store, partner, year=year, month=month, sector=sector, as_of=as_of), fmt)


@app.command("sectors")
@handle_errors
def sectors_cmd(
    partner: str = PARTNER,
    year: int = YEAR,
    month: int = MONTH,
    by: str = typer.Option("sector", "--by", help="sector, chapter or section."),
    as_of: str = AS_OF,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Composition of U.S. imports from a partner by named sector, HS chapter or HS section (HS-level data).

    Example: nearshore stats sectors --partner MEX --year 2025 --by sector
    """
    from nearshore.analytics import composition

    with _store() as store:
        _show(composition(store, partner, year=year, month=month, by=by, as_of=as_of), fmt)


@app.command("concentration")
@handle_errors
def concentration_cmd(
    partner: str = PARTNER,
    year: int = YEAR,
    month: int = MONTH,
    level: int = typer.Option(6, "--level", help="HS digits: 2, 4, 6, 8 or 10."),
    n: int = typer.Option(10, "-n", "--top", min=1, help="How many products."),
    sector: str = typer.Option(None, "--sector", help="Limit to a named sector."),
    as_of: str = AS_OF,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Top-N products of U.S. imports from a partner, their cumulative share and the Herfindahl index.

    Example: nearshore stats concentration --partner MEX --year 2025 --level 4 -n 10
    """
    from nearshore.analytics import concentration

    with _store() as store:
        _show(concentration(store, partner, year=year, month=month, level=level, n=n, sector=sector, as_of=as_of), fmt)


@app.command("utilisation")
@handle_errors
def utilisation_cmd(
    partner: str = PARTNER,
    year: int = YEAR,
    month: int = MONTH,
    by: str = typer.Option("total", "--by", help="total, month, chapter or sector."),
    source: str = typer.Option("dataweb", "--source", help="dataweb (HTS10) or census (USMCA series 0021/0022)."),
    as_of: str = AS_OF,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Share of U.S. imports from Mexico or Canada claimed under USMCA (S/S+), and the unclaimed value.

    Example: nearshore stats utilisation --partner MEX --year 2025 --by month
    """
    from nearshore.analytics import utilisation

    with _store() as store:
        _show(utilisation(store, partner, year=year, month=month, by=by, source=source, as_of=as_of), fmt)


@app.command("unclaimed")
@handle_errors
def unclaimed_cmd(
    partner: str = PARTNER,
    year: int = YEAR,
    month: int = MONTH,
    n: int = typer.Option(10, "-n", "--top", min=1, help="How many products."),
    as_of: str = AS_OF,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """HTS10 products from Mexico or Canada with the largest value not claimed under USMCA.

    Example: nearshore stats unclaimed --partner CAN --year 2025 --month 12 -n 10
    """
    from nearshore.analytics import unclaimed

    with _store() as store:
        _show(unclaimed(store, partner, year=year, month=month, n=n, as_of=as_of), fmt)


@app.command("event")
@handle_errors
def event_cmd(
    event: str = typer.Argument(..., help="An event id (see `nearshore stats events`) or a date YYYY-MM-DD."),
    partners: list[str] = typer.Option(
        ["CAN", "MEX"], "--partner", "-p", help="Partner(s); repeat the option for several."
    ),
    flow: str = typer.Option("total", "--flow", help="imports, exports or total (two-way)."),
    end: str = typer.Option(
        None, "--end", help="Last month of the window, YYYY-MM (default: the last month held in the event's year)."
    ),
    as_of: str = AS_OF,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """A flow from a tariff event's month on, against the same months a year earlier.

    Example: nearshore stats event ieepa-ca-mx-effective --partner CAN --partner MEX --flow total
    """
    from nearshore.analytics import event_window

    end_month = _year_month(end) if end else None
    with _store() as store:
        _show(event_window(store, event, partners=tuple(partners), flow=flow, end=end_month, as_of=as_of), fmt)


@app.command("events")
@handle_errors
def events_cmd(fmt: Format = FORMAT_OPTION) -> None:
    """The dated, cited tariff events that `stats event` accepts.

    Example: nearshore stats events --format json
    """
    from nearshore.analytics import all_events

    rows = [
        [
            e.id,
            e.date.isoformat(),
            e.kind,
            list(e.partners) if fmt is Format.json else " ".join(e.partners),
            e.title,
            e.citation,
        ]
        for e in all_events()
    ]
    emit(
        ["id", "date", "kind", "partners", "title", "citation"],
        rows,
        fmt,
        title="Tariff events",
        footer=["source: nearshore/analytics/events.yaml (Federal Register citations)"],
    )


@app.command("duty-rate")
@handle_errors
def duty_rate_cmd(
    partner: str = EACH_PARTNER,
    year: int = OPTIONAL_YEAR,
    month: int = MONTH,
    monthly: bool = typer.Option(False, "--monthly", help="One row per month."),
    as_of: str = AS_OF,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Collected duty rate: calculated duties / imports for consumption, by partner and period.

    Example: nearshore stats duty-rate --partner MEX --year 2025
    """
    from nearshore.analytics import duty_rate

    with _store() as store:
        _show(duty_rate(store, partner, year=year, month=month, monthly=monthly, as_of=as_of), fmt)


def _year_month(text: str) -> tuple[int, int]:
    from nearshore.errors import InputError

    try:
        year, month = (int(part) for part in text.split("-"))
    except ValueError:
        raise InputError(f"--end {text!r} is not a month: write it YYYY-MM, e.g. 2025-12") from None
    if not 1 <= month <= 12:
        raise InputError(f"--end {text!r}: the month must be 01-12")
    return year, month
