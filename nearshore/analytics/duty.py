"""Collected duty rate: calculated duties / imports for consumption (customs value), by partner and period,
from the Census duties series (source census-duties). Rates are in percent."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from nearshore.analytics import series as q
from nearshore.analytics.result import Figure, FigureRow, FigureTable, Period
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
    group = ("partner",)
    if month is not None or monthly:
        result = query.monthly(store, scope, group, year, month, as_of)
        rows = [(r[0], Period.month(int(r[1]), int(r[2])), r[3], r[4]) for r in result.rows]
    else:
        result = query.yearly(store, scope, group, [year] if year is not None else None, as_of)
        rows = [(r[0], Period.year(int(r[1])), r[2], r[3]) for r in result.rows]
    if not rows:
        wanted = "duties" + (f" on imports from {who.id}" if who else "") + (f" in {year}" if year else "")
        if month is not None:
            wanted += f"-{month:02d}"
        raise q.not_found(store, scope, as_of, wanted)
    prov = query.provenance(store, scope, as_of, result.sql, NOTE, when=When.year(year))
    out = []
    for pid, period, value, duty in sorted(rows, key=lambda r: (r[0], r[1])):
        name = q.partner(pid).name
        subject = (("partner", pid),)
        out.append(
            FigureRow(
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
        )
    whom = f"from {who.name}" if who else "from each partner with duty data"
    if year is None:
        when = "every month held" if monthly else "every year held"
    elif month is not None:
        when = Period.month(year, month).words
    else:
        when = f"{year}, by month" if monthly else str(year)
    return FigureTable(
        f"Collected duty rate on U.S. imports {whom}, {when}",
        ("partner", "period"),
        ("duties", "imports", "rate"),
        tuple(out),
        prov,
    )


__all__ = ["duty_rate"]
