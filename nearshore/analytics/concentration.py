"""Concentration of a partner's supply by product: the share of the top-N products and the Herfindahl-
Hirschman index (sum of squared percent shares, 0-10,000) over HS codes at a chosen level (2-10 digits)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final

from nearshore.analytics import series as q
from nearshore.analytics.result import Figure, FigureRow, FigureTable, Period
from nearshore.analytics.sectors import HS_SCOPE, check_coverage, get_sector
from nearshore.data import query
from nearshore.data.query import When
from nearshore.errors import InputError

if TYPE_CHECKING:
    from nearshore.data.query import Provenance, Scope
    from nearshore.data.query.engine import Reader

LEVELS: Final = (2, 4, 6, 8, 10)


@dataclass(frozen=True)
class _Labels:
    """What every figure of one concentration table shares: its words, period, provenance and HS level."""

    partner_id: str
    what: str
    period: Period
    prov: Provenance
    level: int


def concentration(
    store: Reader,
    partner: str,
    *,
    year: int,
    month: int | None = None,
    level: int = 6,
    n: int = 10,
    sector: str | None = None,
    as_of: str | None = None,
) -> FigureTable:
    """Top-n products of U.S. imports for consumption from a partner, their cumulative share, and the HHI.

    Rows are the top-n products (code, value, share, cumulative share); the last row, rank 'all', holds the
    total, the product count (in its name), the top-n share and the HHI over every product.
    """
    _check_options(level, n)
    who = q.partner(partner)
    scope = replace(HS_SCOPE, partners=(who.id,), commodities=get_sector(sector).hs if sector else None)
    values, period, sql = _product_values(store, scope, level, year, month, as_of)
    if not values:
        raise q.not_found(store, scope, as_of, f"HS-level imports from {who.id} in {period.label}")
    check_coverage(store, who.id, year, month, as_of)
    total = sum(values.values())
    shares = {k: 100.0 * v / total for k, v in values.items()}
    hhi = sum(s * s for s in shares.values())
    ordered = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    prov = query.provenance(
        store, scope, as_of, sql, f"products = HS codes cut to {level} digits", when=When.year(year, month)
    )
    what = f"U.S. imports from {who.name}" + (f", {get_sector(sector).name}" if sector else "")
    labels = _Labels(who.id, what, period, prov, level)
    rows, cumulative = _product_rows(labels, ordered, shares)
    summary = _summary_row(labels, total, len(values), len(ordered), cumulative, hhi)
    return FigureTable(
        f"Concentration of {what} by HS{level} product, {period.words}",
        ("rank", "product"),
        ("value", "share", "cumulative_share", "hhi"),
        (*rows, summary),
        prov,
    )


def _check_options(level: int, n: int) -> None:
    if level not in LEVELS:
        raise InputError(f"level {level} is not one of: {', '.join(map(str, LEVELS))} (HS digits)")
    if n < 1:
        raise InputError(f"n must be at least 1, not {n}")


def _product_values(
    store: Reader, scope: Scope, level: int, year: int, month: int | None, as_of: str | None
) -> tuple[dict[str, float], Period, str]:
    """The positive import values by HS code cut to `level` digits in the year (or month), the period, and the
    SQL that read them."""
    group = (f"hs{int(level)}",)
    if month is None:
        result = query.yearly(store, scope, group, [year], as_of)
        values = {str(r[0]): float(r[2]) for r in result.rows}
        period = Period.year(year)
    else:
        result = query.monthly(store, scope, group, year, month, as_of)
        values = {str(r[0]): float(r[3]) for r in result.rows}
        period = Period.month(year, month)
    return {k: v for k, v in values.items() if v > 0}, period, result.sql


def _product_rows(
    labels: _Labels, ordered: list[tuple[str, float]], shares: dict[str, float]
) -> tuple[list[FigureRow], float]:
    """One row per top product (value, share, cumulative share), and the cumulative share they reach."""
    what, period, prov, level = labels.what, labels.period, labels.prov, labels.level
    rows = []
    cumulative = 0.0
    for rank, (code, value) in enumerate(ordered, start=1):
        cumulative += shares[code]
        subject = (("partner", labels.partner_id), ("commodity", code))
        rows.append(
            FigureRow(
                (str(rank), code),
                (
                    Figure(value, "USD", f"{what}, HS {code}", period, prov, scale="millions", subject=subject),
                    Figure(
                        shares[code],
                        "percent",
                        f"HS {code}'s share of {what}",
                        period,
                        prov,
                        comparison=f"HS {code} / all products",
                        subject=subject,
                    ),
                    Figure(
                        cumulative,
                        "percent",
                        f"share of the top {rank} products in {what}",
                        period,
                        prov,
                        comparison=f"top {rank} HS{level} products / all products",
                        subject=subject,
                    ),
                    None,
                ),
            )
        )
    return rows, cumulative


def _summary_row(labels: _Labels, total: float, products: int, top: int, cumulative: float, hhi: float) -> FigureRow:
    """The 'all' row: the total, the share of the top products and the HHI over every product."""
    what, period, prov, level = labels.what, labels.period, labels.prov, labels.level
    whole = (("partner", labels.partner_id),)
    return FigureRow(
        ("all", f"{products} products"),
        (
            Figure(total, "USD", what, period, prov, scale="millions", subject=whole),
            None,
            Figure(
                cumulative,
                "percent",
                f"share of the top {top} products in {what}",
                period,
                prov,
                comparison=f"top {top} HS{level} products / all products",
                subject=whole,
            ),
            Figure(
                hhi,
                "index",
                f"Herfindahl-Hirschman index of {what} by HS{level} product",
                period,
                prov,
                comparison="sum of squared percent shares (0-10,000)",
                decimals=0,
                subject=whole,
            ),
        ),
    )


__all__ = ["LEVELS", "concentration"]
