"""Trade analytics as services: one per `nearshore stats` command, each returning the FigureTable as payload."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, cast

from nearshore import analytics
from nearshore.analytics.growth import GrowthKind
from nearshore.analytics.result import FigureTable, Scale
from nearshore.analytics.sectors import GroupBy
from nearshore.analytics.series import FlowChoice
from nearshore.analytics.utilisation import UtilBy, UtilSource
from nearshore.errors import InputError
from nearshore.services.base import Context, Result, columns, figure_columns, figure_rows, service
from nearshore.services.engine import OnEngine, reader, store_access
from nearshore.services.fields import Request, arg, opt

PARTNER = opt("Partner: ISO3 (MEX), ISO2 (MX), Census code (2010) or name.", "--partner", "-p")
WORLD_PARTNER = opt(
    "Partner (ISO3, ISO2, Census code or name); World, WLD or no --partner for the total over all countries.",
    "--partner",
    "-p",
)
EACH_PARTNER = opt(
    "Partner (ISO3, ISO2, Census code or name); omit for each partner with duty data.", "--partner", "-p"
)
FLOW = opt("imports, exports or total (two-way trade).", "--flow")
YEAR = opt("Year, e.g. 2025.", "--year", "-y")
OPTIONAL_YEAR = opt("Year; omit for every year held.", "--year", "-y")
MONTH = opt("Month 1-12 (with --year).", "--month", "-m", min=1, max=12)
AS_OF = opt("Figures as they stood at this vintage (YYYY-MM).", "--as-of")
MONTHLY = opt("One row per month.", "--monthly")
PRODUCTS = opt("How many products.", "-n", "--top", min=1)


def figures(table: FigureTable, r: OnEngine | None = None) -> Result[FigureTable]:
    """A FigureTable as a result: values in each column's display unit at full precision, provenance below (with
    the dataset the figures were computed from on Spark)."""
    if r is not None and r.engine == "spark":
        table = replace(table, provenance=table.provenance.with_note(f"computed on Spark from the dataset {r.dataset}"))
    return Result(
        title=table.title,
        columns=figure_columns(table),
        rows=figure_rows(table),
        payload=table,
        notes=tuple(table.provenance.footer()),
        provenance=table.provenance,
    )


@dataclass(frozen=True, kw_only=True)
class ShareRequest(OnEngine):
    partner: Annotated[str, PARTNER]
    flow: Annotated[FlowChoice, FLOW] = "imports"
    year: Annotated[int | None, OPTIONAL_YEAR] = None
    month: Annotated[int | None, MONTH] = None
    monthly: Annotated[bool, MONTHLY] = False
    as_of: Annotated[str | None, AS_OF] = None


@service("stats.share", ShareRequest, store=store_access)
def share(ctx: Context, r: ShareRequest) -> Result[FigureTable]:
    """A partner's share of U.S. imports, exports or two-way trade and its rank; every year held without a year."""
    return figures(
        analytics.share(
            reader(ctx, r), r.partner, flow=r.flow, year=r.year, month=r.month, monthly=r.monthly, as_of=r.as_of
        ),
        r,
    )


@dataclass(frozen=True, kw_only=True)
class TopRequest(OnEngine):
    flow: Annotated[FlowChoice, FLOW] = "imports"
    year: Annotated[int, YEAR]
    month: Annotated[int | None, MONTH] = None
    n: Annotated[int, opt("How many partners.", "-n", "--top", min=1)] = 10
    as_of: Annotated[str | None, AS_OF] = None


@service("stats.top", TopRequest, store=store_access)
def top(ctx: Context, r: TopRequest) -> Result[FigureTable]:
    """The top-N partner countries with shares, ranks and the change in rank from a year earlier."""
    return figures(analytics.top(reader(ctx, r), flow=r.flow, year=r.year, month=r.month, n=r.n, as_of=r.as_of), r)


@dataclass(frozen=True, kw_only=True)
class GrowthRequest(OnEngine):
    partner: Annotated[str | None, WORLD_PARTNER] = None
    flow: Annotated[FlowChoice, FLOW] = "imports"
    kind: Annotated[GrowthKind, opt("yoy, ytd (Jan..--month) or cagr.", "--kind")] = "yoy"
    year: Annotated[int, YEAR]
    month: Annotated[int | None, MONTH] = None
    start_year: Annotated[int | None, opt("First year of a CAGR span.", "--start-year")] = None
    as_of: Annotated[str | None, AS_OF] = None


@service("stats.growth", GrowthRequest, store=store_access)
def growth(ctx: Context, r: GrowthRequest) -> Result[FigureTable]:
    """Year-on-year, year-to-date or compound annual growth of a flow with a partner (or the world)."""
    table = analytics.growth(
        reader(ctx, r),
        r.partner,
        flow=r.flow,
        kind=r.kind,
        year=r.year,
        month=r.month,
        start_year=r.start_year,
        as_of=r.as_of,
    )
    return figures(table, r)


@dataclass(frozen=True, kw_only=True)
class PathRequest(Request):
    start_value: Annotated[
        float,
        opt(
            "Value in the start year, in the unit of --in (default: U.S. dollars, e.g. 53.2e9 for $53.2B).",
            "--start-value",
        ),
    ]
    start_year: Annotated[int, opt("Start year.", "--start-year")]
    end_year: Annotated[int, opt("End year.", "--end-year")]
    end_value: Annotated[
        float | None, opt("Stated value in the end year, in the unit of --in: gives the implied CAGR.", "--end-value")
    ] = None
    rate: Annotated[
        float | None, opt("Stated growth rate, percent a year: gives the projected end value.", "--rate")
    ] = None
    unit: Annotated[
        str,
        opt("Unit of --start-value and --end-value: units (dollars), thousands, millions or billions.", "--in"),
    ] = "units"


@service("stats.path", PathRequest, store="none")
def path(ctx: Context, r: PathRequest) -> Result[FigureTable]:
    """The arithmetic of a stated growth path: the CAGR two values imply, or the value a rate reaches."""
    unit = cast(Scale, r.unit)  # growth_path checks it against its scales and lists them when it is not one
    return figures(
        analytics.growth_path(r.start_value, r.start_year, r.end_year, end_value=r.end_value, rate=r.rate, unit=unit)
    )


@dataclass(frozen=True, kw_only=True)
class BalanceRequest(OnEngine):
    partner: Annotated[str | None, WORLD_PARTNER] = None
    year: Annotated[int, YEAR]
    month: Annotated[int | None, MONTH] = None
    sector: Annotated[str | None, opt("A named sector (needs HS-level exports).", "--sector")] = None
    as_of: Annotated[str | None, AS_OF] = None


@service("stats.balance", BalanceRequest, store=store_access)
def balance(ctx: Context, r: BalanceRequest) -> Result[FigureTable]:
    """U.S. goods exports, imports and balance (exports - imports; negative = U.S. deficit) with a partner."""
    return figures(
        analytics.balance(reader(ctx, r), r.partner, year=r.year, month=r.month, sector=r.sector, as_of=r.as_of),
        r,
    )


@dataclass(frozen=True, kw_only=True)
class PartnerYearRequest(OnEngine):
    """The fields of every figure about one country in one year (or one month of it)."""

    partner: Annotated[str, PARTNER]
    year: Annotated[int, YEAR]
    month: Annotated[int | None, MONTH] = None
    as_of: Annotated[str | None, AS_OF] = None


@dataclass(frozen=True, kw_only=True)
class SectorsRequest(PartnerYearRequest):
    by: Annotated[GroupBy, opt("sector, chapter or section.", "--by")] = "sector"


@service("stats.sectors", SectorsRequest, store=store_access)
def sectors(ctx: Context, r: SectorsRequest) -> Result[FigureTable]:
    """Composition of U.S. imports from a partner by named sector, HS chapter or HS section."""
    return figures(
        analytics.composition(reader(ctx, r), r.partner, year=r.year, month=r.month, by=r.by, as_of=r.as_of), r
    )


@dataclass(frozen=True, kw_only=True)
class ConcentrationRequest(PartnerYearRequest):
    level: Annotated[int, opt("HS digits: 2, 4, 6, 8 or 10.", "--level")] = 6
    n: Annotated[int, PRODUCTS] = 10
    sector: Annotated[str | None, opt("Limit to a named sector.", "--sector")] = None


@service("stats.concentration", ConcentrationRequest, store=store_access)
def concentration(ctx: Context, r: ConcentrationRequest) -> Result[FigureTable]:
    """Top-N products of U.S. imports from a partner, their cumulative share and the Herfindahl index."""
    table = analytics.concentration(
        reader(ctx, r), r.partner, year=r.year, month=r.month, level=r.level, n=r.n, sector=r.sector, as_of=r.as_of
    )
    return figures(table, r)


@dataclass(frozen=True, kw_only=True)
class UtilisationRequest(PartnerYearRequest):
    by: Annotated[UtilBy, opt("total, month, chapter or sector.", "--by")] = "total"
    source: Annotated[UtilSource, opt("dataweb (HTS10) or census (USMCA series 0021/0022).", "--source")] = "dataweb"


@service("stats.utilisation", UtilisationRequest, store=store_access)
def utilisation(ctx: Context, r: UtilisationRequest) -> Result[FigureTable]:
    """Share of U.S. imports from Mexico or Canada claimed under USMCA (S/S+), and the unclaimed value."""
    table = analytics.utilisation(
        reader(ctx, r), r.partner, year=r.year, month=r.month, by=r.by, source=r.source, as_of=r.as_of
    )
    return figures(table, r)


@dataclass(frozen=True, kw_only=True)
class UnclaimedRequest(PartnerYearRequest):
    n: Annotated[int, PRODUCTS] = 10


@service("stats.unclaimed", UnclaimedRequest, store=store_access)
def unclaimed(ctx: Context, r: UnclaimedRequest) -> Result[FigureTable]:
    """HTS10 products from Mexico or Canada with the largest value not claimed under USMCA."""
    return figures(analytics.unclaimed(reader(ctx, r), r.partner, year=r.year, month=r.month, n=r.n, as_of=r.as_of), r)


@dataclass(frozen=True, kw_only=True)
class EventRequest(OnEngine):
    event: Annotated[str, arg("An event id (see `nearshore stats events`) or a date YYYY-MM-DD.")]
    partners: Annotated[tuple[str, ...], opt("Partner(s); repeat the option for several.", "--partner", "-p")] = (
        "CAN",
        "MEX",
    )
    flow: Annotated[FlowChoice, opt("imports, exports or total (two-way).", "--flow")] = "total"
    end: Annotated[
        str | None,
        opt("Last month of the window, YYYY-MM (default: the last month held in the event's year).", "--end"),
    ] = None
    as_of: Annotated[str | None, AS_OF] = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.end is not None:
            _year_month(self.end)

    @property
    def end_month(self) -> tuple[int, int] | None:
        return None if self.end is None else _year_month(self.end)


def _year_month(text: str) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in text.split("-"))
    except ValueError:
        raise InputError(f"--end {text!r} is not a month: write it YYYY-MM, e.g. 2025-12") from None
    if not 1 <= month <= 12:
        raise InputError(f"--end {text!r}: the month must be 01-12")
    return year, month


@service("stats.event", EventRequest, store=store_access)
def event(ctx: Context, r: EventRequest) -> Result[FigureTable]:
    """A flow from a tariff event's month on, against the same months a year earlier."""
    table = analytics.event_window(
        reader(ctx, r), r.event, partners=tuple(r.partners), flow=r.flow, end=r.end_month, as_of=r.as_of
    )
    return figures(table, r)


@dataclass(frozen=True, kw_only=True)
class EventsRequest(Request):
    """No parameters: every event."""


@service("stats.events", EventsRequest, store="none")
def events(ctx: Context, r: EventsRequest) -> Result[tuple[analytics.Event, ...]]:
    """The dated, cited tariff events that `stats event` accepts."""
    found = analytics.all_events()
    return Result(
        title="Tariff events",
        columns=columns("id", "date", "kind", "partners", "title", "citation"),
        rows=tuple((e.id, e.date.isoformat(), e.kind, tuple(e.partners), e.title, e.citation) for e in found),
        payload=found,
        notes=("source: nearshore/analytics/events.yaml (Federal Register citations)",),
    )


@dataclass(frozen=True, kw_only=True)
class DutyRateRequest(OnEngine):
    partner: Annotated[str | None, EACH_PARTNER] = None
    year: Annotated[int | None, OPTIONAL_YEAR] = None
    month: Annotated[int | None, MONTH] = None
    monthly: Annotated[bool, MONTHLY] = False
    as_of: Annotated[str | None, AS_OF] = None


@service("stats.duty-rate", DutyRateRequest, store=store_access)
def duty_rate(ctx: Context, r: DutyRateRequest) -> Result[FigureTable]:
    """Collected duty rate: calculated duties / imports for consumption, by partner and period."""
    table = analytics.duty_rate(reader(ctx, r), r.partner, year=r.year, month=r.month, monthly=r.monthly, as_of=r.as_of)
    return figures(table, r)


__all__ = [
    "BalanceRequest",
    "ConcentrationRequest",
    "DutyRateRequest",
    "EventRequest",
    "EventsRequest",
    "GrowthRequest",
    "PartnerYearRequest",
    "PathRequest",
    "SectorsRequest",
    "ShareRequest",
    "TopRequest",
    "UnclaimedRequest",
    "UtilisationRequest",
    "balance",
    "concentration",
    "duty_rate",
    "event",
    "events",
    "figures",
    "growth",
    "path",
    "sectors",
    "share",
    "top",
    "unclaimed",
    "utilisation",
]
