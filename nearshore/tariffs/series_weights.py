"""The import weights of the tariff series: HTS10 where the store has it, Census HS chapters for everyone else.

- **HTS10** (Canada and Mexico: the DataWeb rows in `trade_flows`, imports for consumption, classification 'HS',
  level 10): each line's value over a whole year, and the share of it entered claiming USMCA under the chosen
  assumption (`Claims`): the July-December claimed share of each line (`second-half`, after claims caught up with
  the exemptions of March 2025; the Budget Lab's choice), the year's (`year`), or none (`none`: the rate without
  a claim on every line, the upper bound).
- **HS2** (every partner: the `census-hs2` rows, general imports by chapter x country): each chapter's value over a
  whole year.

The readers are the query layer's (`query.claims`, `query.yearly`); a year counts only when all its twelve months
are in the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from nearshore.data import query
from nearshore.data.query import Scope, When
from nearshore.data.store import Store
from nearshore.errors import DataNotFound, InputError

Claims = Literal["second-half", "year", "none"]
CLAIMS: tuple[Claims, ...] = ("second-half", "year", "none")
Level = Literal["HTS10", "HS2"]

HTS10_SCOPE = Scope(flow="imports", basis="consumption", classification="HS", level=10, programs=("ALL", "USMCA"))
HS2_SCOPE = Scope(flow="imports", basis="general", classification="HS", level=2, source="census-hs2")
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Weights:
    """One partner's weights: the codes (HTS10 lines or HS chapters), their import values (USD) and the share of
    each entered claiming USMCA (zeros where no claim is assumed)."""

    partner: str
    level: Level
    year: int
    codes: tuple[str, ...]
    values: Floats
    claimed: Floats  # share of each code's value entered claiming USMCA, 0..1
    source: str

    @property
    def total(self) -> float:
        return float(self.values.sum())

    @property
    def claimed_share(self) -> float:
        total = self.total
        return float((self.values * self.claimed).sum() / total) if total else 0.0


def check_claims(value: str) -> Claims:
    """The USMCA-claim assumption, validated: an error lists the allowed values."""
    for allowed in CLAIMS:
        if value == allowed:
            return allowed
    raise InputError(f"--claims {value!r} is not one of {', '.join(CLAIMS)}", field="claims", value=value)


def full_year(store: Store, scope: Scope) -> int | None:
    """The last year whose twelve months the scope holds (None when it holds no complete year)."""
    extent = query.extent(store, scope)
    if extent.last_month is None:
        return None
    year, month = extent.last_month
    return year if month == 12 else year - 1


def hts10_partners(store: Store) -> list[str]:
    """The partners the store holds HTS10 imports for (DataWeb: Canada and Mexico)."""
    return query.partners(store, HTS10_SCOPE)


def hts10_weights(store: Store, partner: str, year: int | None, claims: Claims) -> Weights:
    """A partner's HTS10 imports for consumption over `year` (default: the last complete year) with the claimed
    share of each line under `claims`."""
    scope = HTS10_SCOPE.with_partners(partner)
    year = year if year is not None else full_year(store, scope)
    rows = [] if year is None else query.claims(store, scope, ("commodity",), When.year(year, monthly=True)).rows
    months = max((int(r[3]) for r in rows), default=0)
    if year is None or not rows or months < 12:
        when = f"all twelve months of {year}" if year is not None else "a complete year"
        raise DataNotFound(
            f"the store holds no HTS10 imports from {partner} for {when}; load the DataWeb files "
            "(`nearshore data load dataweb usmca_product_shares_YYYY_MM.csv`) or give another --hts10-year"
        )
    codes = tuple(str(r[0]) for r in rows)
    values = np.array([float(r[1] or 0.0) for r in rows])
    if claims == "none":
        shares = np.zeros(len(codes))
    else:
        shares = _shares(rows)
        if claims == "second-half":
            half = query.claims(store, scope, ("commodity",), When.span((year, 7), (year, 12))).rows
            late = {str(r[0]): s for r, s in zip(half, _shares(half), strict=True) if r[1]}
            shares = np.array([late.get(code, s) for code, s in zip(codes, shares, strict=True)])
    source = f"USITC DataWeb HTS10 imports for consumption, {year}"
    return Weights(partner, "HTS10", year, codes, values, shares, source)


def _shares(rows: list[tuple[object, ...]]) -> Floats:
    """Claimed / total per row (claims clipped to the line's value; 0 for a line without value)."""
    total = np.array([float(r[1] or 0.0) for r in rows])  # type: ignore[arg-type]
    claimed = np.array([float(r[2] or 0.0) for r in rows])  # type: ignore[arg-type]
    shares: Floats = np.divide(np.clip(claimed, 0.0, total), total, out=np.zeros(len(rows)), where=total > 0)
    return shares


def hs2_weights(store: Store, year: int | None) -> dict[str, Weights]:
    """Every country's general imports by HS chapter over `year` (default: the last complete year of census-hs2)."""
    year = year if year is not None else full_year(store, HS2_SCOPE)
    rows = [] if year is None else query.yearly(store, HS2_SCOPE, ("partner", "commodity"), [year]).rows
    if year is None or not rows:
        when = f"for {year}" if year is not None else "for a complete year"
        raise DataNotFound(
            f"the store holds no Census HS2 x country imports {when}; load them: `nearshore data load census-hs2 "
            "us_imports_hs2_country_monthly_2023_2024.csv.gz` (or give another --hs2-year)"
        )
    by_partner: dict[str, list[tuple[str, float]]] = {}
    for partner, chapter, _, value, _ in rows:
        if value:
            by_partner.setdefault(str(partner), []).append((str(chapter), float(value)))
    source = f"Census general imports by HS chapter x country (census-hs2), {year}"
    out = {}
    for partner, items in sorted(by_partner.items()):
        items.sort()
        codes = tuple(c for c, _ in items)
        values = np.array([v for _, v in items])
        out[partner] = Weights(partner, "HS2", year, codes, values, np.zeros(len(items)), source)
    return out


__all__ = [
    "CLAIMS",
    "Claims",
    "Level",
    "Weights",
    "check_claims",
    "full_year",
    "hs2_weights",
    "hts10_partners",
    "hts10_weights",
]
