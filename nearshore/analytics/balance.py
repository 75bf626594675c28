"""Goods balance (U.S. exports minus U.S. imports) by partner and period, and words for it that never
confuse the sign: a negative balance is a U.S. deficit with the partner, a positive one a surplus."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from nearshore.analytics import series as q
from nearshore.analytics.result import Figure, FigureRow, FigureTable, Period
from nearshore.analytics.sectors import HS_SCOPE, get_sector
from nearshore.analytics.values import span_total, year_total
from nearshore.data.query import Scope
from nearshore.errors import InputError

if TYPE_CHECKING:
    from nearshore.data.query.engine import Reader


def describe_balance(figure: Figure, partner_name: str) -> str:
    """'a U.S. goods deficit of $197.0B with Mexico' / 'a U.S. goods surplus of ...' / 'balanced trade'."""
    if figure.unit != "USD":
        raise InputError(f"a balance is in USD, not {figure.unit}")
    if figure.value == 0:
        return f"balanced U.S. goods trade with {partner_name}"
    word = "deficit" if figure.value < 0 else "surplus"
    amount = Figure(
        abs(figure.value),
        "USD",
        figure.label,
        figure.period,
        figure.provenance,
        scale=figure.scale,
        decimals=figure.decimals,
    )
    return f"a U.S. goods {word} of {amount.display()} with {partner_name}"


def balance(
    store: Reader,
    partner: str | None = None,
    *,
    year: int,
    month: int | None = None,
    sector: str | None = None,
    as_of: str | None = None,
) -> FigureTable:
    """Exports, imports and balance (exports - imports) with a partner (None: the world) for a year or month.

    Exports are total exports (F.A.S.), imports general imports (customs value), as Census publishes the
    partner balance. With `sector` (an id from sectors.yaml) both flows come from HS-level rows of that
    sector: total exports and imports for consumption, which needs HS-level exports in the store.
    """
    who = q.partner_or_world(partner)
    ids = (who.id,) if who else None
    name = who.name if who else "the world"
    scopes: dict[str, Scope | None] = {"exports": None, "imports": None}
    note = "balance = total exports (F.A.S.) - general imports (customs value); negative = U.S. deficit"
    if sector is not None:
        chosen = get_sector(sector)
        if who is None:
            raise InputError("a sector balance needs --partner: HS-level data are held per partner")
        scopes = {
            "exports": Scope(flow="exports", basis="total", classification="HS", commodities=chosen.hs),
            "imports": replace(HS_SCOPE, commodities=chosen.hs),
        }
        name = f"{who.name}, {chosen.name}"
        note = (
            "sector balance = total exports - imports for consumption of the sector's HS codes "
            "(sectors.yaml); negative = U.S. deficit"
        )
    if month is None:
        exp = year_total(store, "exports", ids, year, as_of=as_of, scope=scopes["exports"])
        imp = year_total(store, "imports", ids, year, as_of=as_of, scope=scopes["imports"])
        period = Period.year(year)
    else:
        exp = span_total(store, "exports", ids, (year, month), (year, month), as_of=as_of, scope=scopes["exports"])
        imp = span_total(store, "imports", ids, (year, month), (year, month), as_of=as_of, scope=scopes["imports"])
        period = Period.month(year, month)
    prov = exp.provenance.merge(imp.provenance).with_note(note)
    subject = (("partner", who.id if who else "WLD"),) + ((("sector", sector),) if sector else ())
    value = exp.value - imp.value
    row = FigureRow(
        (who.id if who else "WLD", period.label),
        (
            Figure(
                exp.value, "USD", f"U.S. exports to {name}", period, exp.provenance, scale="billions", subject=subject
            ),
            Figure(
                imp.value, "USD", f"U.S. imports from {name}", period, imp.provenance, scale="billions", subject=subject
            ),
            Figure(
                value,
                "USD",
                f"U.S. goods balance with {name}",
                period,
                prov,
                scale="billions",
                comparison="exports - imports (negative = U.S. deficit)",
                subject=subject,
            ),
        ),
    )
    return FigureTable(
        f"U.S. goods balance with {name}, {period.words}",
        ("partner", "period"),
        ("exports", "imports", "balance"),
        (row,),
        prov,
    )


__all__ = ["balance", "describe_balance"]
