"""Collected duty rate: calculated duties / imports for consumption (customs value), by partner and period,
from the Census duties series (source census-duties). Rates are in percent."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from nearshore.analytics import series as q
from nearshore.analytics.result import Figure, FigureRow, FigureTable, Period, Provenance
from nearshore.data import query
from nearshore.data.query import Scope, When
from nearshore.errors import InputError

if TYPE_CHECKING:
    from nearshore.data.query.engine import Reader

DUTY_SCOPE = Scope(flow="imports", basis="consumption", with_duty=True)
NOTE = (
    "calculated duties are Census's estimate from entry data (rate x dutiable value), not Treasury "
    "receipts; the denominator is imports for consumption, not general imports"
)


def duty_rate(
    store: Reader,
    partner: str | None = None,
    *,
    year: int | None = None,
    month: int | None = None,
    monthly: bool = False,
    as_of: str | None = None,
) -> FigureTable:
    """Duties, imports for consumption and the collected rate per partner and period.

    partner None: every partner with duty data. year None: every year held. `month` picks one month of `year`;
    `monthly` lists every month instead of annual totals.
    """
    if month is not None and year is None:
        raise InputError(f"month {month} was given without a year: give --year too")
    who = q.partner(partner) if partner else None
    scope = replace(DUTY_SCOPE, partners=(who.id,)) if who else DUTY_SCOPE
    rows, sql = _read(store, scope, year, month, monthly, as_of)
    if not rows:
        wanted = "duties" + (f" on imports from {who.id}" if who else "") + (f" in {year}" if year else "")
        if month is not None:
            wanted += f"-{month:02d}"
        raise q.not_found(store, scope, as_of, wanted)
    prov = query.provenance(store, scope, as_of, sql, NOTE, when=When.year(year))
    out = [
        _row(pid, period, value, duty, prov) for pid, period, value, duty in sorted(rows, key=lambda r: (r[0], r[1]))
    ]
    whom = f"from {who.name}" if who else "from each partner with duty data"
    return FigureTable(
        f"Collected duty rate on U.S. imports {whom}, {_when_words(year, month, monthly)}",
        ("partner", "period"),
        ("duties", "imports", "rate"),
        tuple(out),
        prov,
    )


def _read(
    store: Reader, scope: Scope, year: int | None, month: int | None, monthly: bool, as_of: str | None
) -> tuple[list[tuple[Any, Period, Any, Any]], str]:
    """(partner, period, imports, duties) per partner and period, and the SQL that read them."""
    group = ("partner",)
    if month is not None or monthly:
        result = query.monthly(store, scope, group, year, month, as_of)
        rows = [(r[0], Period.month(int(r[1]), int(r[2])), r[3], r[4]) for r in result.rows]
    else:
        result = query.yearly(store, scope, group, [year] if year is not None else None, as_of)
        rows = [(r[0], Period.year(int(r[1])), r[2], r[3]) for r in result.rows]
    return rows, result.sql


def _row(pid: str, period: Period, value: Any, duty: Any, prov: Provenance) -> FigureRow:
    """Duties, imports for consumption and the collected rate of one partner in one period."""
    name = q.partner(pid).name
    subject = (("partner", pid),)
    return FigureRow(
        (pid, period.label),
        (
            Figure(
                float(duty),
                "USD",
                f"calculated duties on U.S. imports from {name}",
                period,
                prov,
                scale="millions",
                subject=subject,
            ),
            Figure(
                float(value),
                "USD",
                f"U.S. imports for consumption from {name}",
                period,
                prov,
                scale="billions",
                subject=subject,
            ),
            Figure(
                100.0 * float(duty) / float(value),
                "percent",
                f"collected duty rate on imports from {name}",
                period,
                prov,
                comparison="calculated duties / imports for consumption",
                decimals=2,
                subject=subject,
            ),
        ),
    )


def _when_words(year: int | None, month: int | None, monthly: bool) -> str:
    """The period of the table in words, for its title."""
    if year is None:
        return "every month held" if monthly else "every year held"
    if month is not None:
        return Period.month(year, month).words
    return f"{year}, by month" if monthly else str(year)


__all__ = ["duty_rate"]
