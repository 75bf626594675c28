"""Growth: year-on-year, year-to-date against the same months a year earlier, CAGR over a span, and the
arithmetic of stated growth paths (a CAGR implied by two values, and a value projected at a rate).

Percent changes are in percent (12.5 = +12.5 %); shares compared over time differ in percentage points.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Literal

from nearshore.analytics import series as q
from nearshore.analytics.result import (
    SCALES,
    Figure,
    FigureRow,
    FigureTable,
    Period,
    Provenance,
    Scale,
    choose,
)
from nearshore.analytics.values import Total, latest_month, span_total, year_total
from nearshore.errors import InputError

if TYPE_CHECKING:
    from nearshore.data.query.engine import Reader

GrowthKind = Literal["yoy", "ytd", "cagr"]
GROWTH_KINDS: Final = ("yoy", "ytd", "cagr")
STATED: Final = Provenance(("stated",), (), "", ("computed from the figures given, not from the store",))


def cagr_value(start: float, end: float, years: float) -> float:
    """Compound annual growth rate in percent: (end / start) ** (1 / years) - 1."""
    if years <= 0:
        raise InputError(f"a CAGR needs a span of at least one year, not {years}")
    if start <= 0 or end <= 0:
        raise InputError(f"a CAGR needs positive start and end values (got {start} and {end})")
    factor: float = (end / start) ** (1.0 / years)
    return 100.0 * (factor - 1.0)


def dollar_scale(*values: float) -> Scale:
    """The display scale that suits the largest of `values` (in dollars): $53.2B, $410.0M, $12.5K, $5.00."""
    top = max((abs(v) for v in values), default=0.0)
    for scale in ("billions", "millions", "thousands"):
        if top >= SCALES[scale][0]:
            return scale
    return "units"


def _dollars(value: float, scale: Scale) -> str:
    return Figure(value, "USD", "", Period.year(0), STATED, scale=scale, decimals=_decimals(scale)).display()


def _decimals(scale: Scale) -> int:
    return 2 if scale == "units" else 1


def implied_cagr(
    start_value: float, end_value: float, start_year: int, end_year: int, *, label: str = "value"
) -> Figure:
    """The CAGR a stated path implies, e.g. $53.2B in 2025 to $97.4B in 2031 -> 10.6 % a year (values in
    dollars)."""
    rate = cagr_value(start_value, end_value, end_year - start_year)
    scale = dollar_scale(start_value, end_value)
    return Figure(
        rate,
        "percent",
        f"compound annual growth of {label}",
        Period.years(start_year, end_year),
        STATED,
        comparison=f"{_dollars(end_value, scale)} in {end_year} vs {_dollars(start_value, scale)} in {start_year}",
        decimals=1,
    )


def project(
    start_value: float,
    rate_percent: float,
    start_year: int,
    end_year: int,
    *,
    label: str = "value",
    scale: Scale | None = None,
) -> Figure:
    """The value reached from `start_value` (dollars) growing `rate_percent` a year, e.g. 53.2e9 at 10.6 % to
    2031. `scale` is the display hint (None: the one that suits the start value)."""
    if end_year < start_year:
        raise InputError(f"end year {end_year} is before start year {start_year}")
    value = start_value * (1.0 + rate_percent / 100.0) ** (end_year - start_year)
    shown = scale or dollar_scale(start_value, value)
    return Figure(
        value,
        "USD",
        f"{label} projected at {rate_percent:g}% a year",
        Period.year(end_year),
        STATED,
        comparison=f"from {_dollars(start_value, shown)} in {start_year}",
        scale=shown,
        decimals=_decimals(shown),
    )


def growth_path(
    start_value: float,
    start_year: int,
    end_year: int,
    *,
    end_value: float | None = None,
    rate: float | None = None,
    label: str = "value",
    unit: Scale = "units",
) -> FigureTable:
    """A stated path as a table: start value, end value and CAGR, given either the end value (the CAGR is
    implied) or the rate (the end value is projected, in percent a year).

    `unit` is the scale the start and end values are written in: 'units' (dollars, the default), 'thousands',
    'millions' or 'billions' (so `growth_path(53.2, 2025, 2031, end_value=97.4, unit="billions")` is
    $53.2B to $97.4B). The figures hold dollars and print in `unit`, or for 'units' in the scale that suits
    the values ($5.00, $410.0M, $53.2B).
    """
    choose(unit, SCALES, "unit")
    if (end_value is None) == (rate is None):
        raise InputError(
            "give either the end value (to get the implied CAGR) or the rate (to project the "
            "end value), not both or neither"
        )
    if start_value <= 0 or (end_value is not None and end_value <= 0):
        given = f"start {start_value:g}" + ("" if end_value is None else f" and end {end_value:g}")
        raise InputError(
            f"a growth path needs positive values (got {given}): growth from or to zero or below has no compound rate"
        )
    if end_year <= start_year:
        raise InputError(f"the end year ({end_year}) must be after the start year ({start_year})")
    factor = SCALES[unit][0]
    start_usd = start_value * factor
    end_usd = None if end_value is None else end_value * factor
    if end_usd is None:
        assert rate is not None
        shown: Scale = unit if unit != "units" else dollar_scale(start_usd)
        end = project(start_usd, rate, start_year, end_year, label=label, scale=shown)
        cagr = Figure(
            rate,
            "percent",
            f"stated annual growth of {label}",
            Period.years(start_year, end_year),
            STATED,
            comparison="as stated",
        )
    else:
        shown = unit if unit != "units" else dollar_scale(start_usd, end_usd)
        cagr = implied_cagr(start_usd, end_usd, start_year, end_year, label=label)
        end = Figure(
            end_usd,
            "USD",
            label,
            Period.year(end_year),
            STATED,
            comparison="as stated",
            scale=shown,
            decimals=_decimals(shown),
        )
    start = Figure(
        start_usd,
        "USD",
        label,
        Period.year(start_year),
        STATED,
        comparison="as stated",
        scale=shown,
        decimals=_decimals(shown),
    )
    row = FigureRow((Period.years(start_year, end_year).label,), (start, end, cagr))
    return FigureTable(
        f"Growth path of {label}, {start_year}-{end_year}", ("span",), ("start", "end", "cagr"), (row,), STATED
    )


def change_figures(
    label: str,
    now: Total,
    before: Total,
    p_now: Period,
    p_before: Period,
    span: Period,
    prov: Provenance,
    subject: tuple[tuple[str, str], ...],
    pct_label: str,
) -> tuple[Figure | None, ...]:
    """The value now, the value before, the change (USD) and the change in percent (None from a zero base)."""
    change = now.value - before.value
    comparison = f"{p_now.words} vs {p_before.words}"
    return (
        Figure(now.value, "USD", label, p_now, now.provenance, scale="billions", subject=subject),
        Figure(before.value, "USD", label, p_before, before.provenance, scale="billions", subject=subject),
        Figure(
            change, "USD", f"change in {label}", span, prov, comparison=comparison, scale="billions", subject=subject
        ),
        Figure(100.0 * change / before.value, "percent", pct_label, span, prov, comparison=comparison, subject=subject)
        if before.value
        else None,
    )


def _rows(
    label: str, now: Total, before: Total, p_now: Period, p_before: Period, subject: tuple[tuple[str, str], ...]
) -> tuple[FigureRow, Provenance]:
    prov = now.provenance.merge(before.provenance)
    span = Period(
        p_before.start_year,
        p_before.start_month,
        p_now.end_year or p_now.start_year,
        p_now.end_month if p_now.is_span else p_now.start_month,
    )
    row = FigureRow(
        (p_now.label, p_before.label),
        change_figures(label, now, before, p_now, p_before, span, prov, subject, f"growth of {label}"),
    )
    return row, prov


def growth(
    store: Reader,
    partner: str | None = None,
    *,
    flow: str = "imports",
    kind: str = "yoy",
    year: int,
    month: int | None = None,
    start_year: int | None = None,
    as_of: str | None = None,
) -> FigureTable:
    """Growth of a flow with a partner (None: the world).

    yoy   the year (or, with `month`, that month) vs a year earlier
    ytd   January..`month` (default: the latest month held) vs the same months a year earlier
    cagr  compound annual growth from `start_year` to `year` (annual values)
    """
    choose(kind, GROWTH_KINDS, "growth kind")
    q.check_flow(flow)
    who = q.partner_or_world(partner)
    ids = (who.id,) if who else None
    name = who.name if who else "the world"
    words = q.FLOW_WORDS[flow]
    label = f"{words} {'with' if flow == 'total' else ('from' if flow == 'imports' else 'to')} {name}"
    subject = (("partner", who.id if who else "WLD"), ("flow", flow))
    if kind == "cagr":
        if start_year is None or start_year >= year:
            raise InputError(f"a CAGR needs --start-year before --year {year} (e.g. --start-year {year - 5})")
        return _cagr_table(store, flow, ids, start_year, year, label, subject, as_of)
    now, before, p_now, p_before = _totals(store, flow, ids, kind, year, month, as_of)
    row, prov = _rows(label, now, before, p_now, p_before, subject)
    title = f"{'Year-to-date' if kind == 'ytd' else 'Year-on-year'} growth of {label}, {p_now.words}"
    return FigureTable(title, ("period", "base"), ("value", "base_value", "change", "growth"), (row,), prov)


def _cagr_table(
    store: Reader,
    flow: str,
    ids: tuple[str, ...] | None,
    start_year: int,
    year: int,
    label: str,
    subject: tuple[tuple[str, str], ...],
    as_of: str | None,
) -> FigureTable:
    """The annual values of `start_year` and `year`, their change and the compound annual growth between them."""
    a = year_total(store, flow, ids, start_year, as_of=as_of)
    b = year_total(store, flow, ids, year, as_of=as_of)
    prov = a.provenance.merge(b.provenance)
    period = Period.years(start_year, year)
    comparison = f"{year} vs {start_year}, {year - start_year} years compounded"
    row = FigureRow(
        (str(year), str(start_year)),
        (
            Figure(b.value, "USD", label, Period.year(year), b.provenance, scale="billions", subject=subject),
            Figure(a.value, "USD", label, Period.year(start_year), a.provenance, scale="billions", subject=subject),
            Figure(
                b.value - a.value,
                "USD",
                f"change in {label}",
                period,
                prov,
                comparison=comparison,
                scale="billions",
                subject=subject,
            ),
            Figure(
                cagr_value(a.value, b.value, year - start_year),
                "percent",
                f"compound annual growth of {label}",
                period,
                prov,
                comparison=comparison,
                subject=subject,
            ),
        ),
    )
    return FigureTable(
        f"CAGR of {label}, {period.words}",
        ("period", "base"),
        ("value", "base_value", "change", "cagr"),
        (row,),
        prov,
    )


def _totals(
    store: Reader,
    flow: str,
    ids: tuple[str, ...] | None,
    kind: str,
    year: int,
    month: int | None,
    as_of: str | None,
) -> tuple[Total, Total, Period, Period]:
    """The totals now and a year before, with their periods, for year-on-year or year-to-date growth."""
    if kind == "ytd":
        last = month or latest_month(store, flow, ids, year, as_of=as_of)
        now = span_total(store, flow, ids, (year, 1), (year, last), as_of=as_of)
        before = span_total(store, flow, ids, (year - 1, 1), (year - 1, last), as_of=as_of)
        return now, before, Period.span(year, 1, year, last), Period.span(year - 1, 1, year - 1, last)
    if month is not None:
        now = span_total(store, flow, ids, (year, month), (year, month), as_of=as_of)
        before = span_total(store, flow, ids, (year - 1, month), (year - 1, month), as_of=as_of)
        return now, before, Period.month(year, month), Period.month(year - 1, month)
    now = year_total(store, flow, ids, year, as_of=as_of)
    before = year_total(store, flow, ids, year - 1, as_of=as_of)
    return now, before, Period.year(year), Period.year(year - 1)


__all__ = [
    "GROWTH_KINDS",
    "GrowthKind",
    "cagr_value",
    "dollar_scale",
    "growth",
    "growth_path",
    "implied_cagr",
    "project",
]
