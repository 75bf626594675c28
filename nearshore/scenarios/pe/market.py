"""The baseline market of the PE model: U.S. imports by product x partner for one year, from the store, with the
USMCA-claimed part of each line; and which partners the market lacks.

Two levels:
- `hts10`: imports for consumption by HTS10 x partner (DataWeb: the monthly CAN/MEX files, 12 months summed, and
  any DataWeb Query Export loaded, e.g. the 2024 grid-equipment workbook with every partner). Claimed value: the
  line's `USMCA` rows of the year, else the year's annual claimed shares (`program_shares`) times the value;
- `hs2`: general imports by HS chapter x every partner (the `census-hs2` source); no claims at this level (the
  rates then carry the claims, see rates.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final, Literal

import numpy as np

from nearshore.analytics.result import Provenance
from nearshore.data import query
from nearshore.data.query import Scope, When
from nearshore.errors import DataNotFound

if TYPE_CHECKING:
    from nearshore.data.query import Reader

Level = Literal["hts10", "hs2"]
LEVELS: Final = ("hts10", "hs2")
USMCA: Final = ("CAN", "MEX")
HTS10_SCOPE: Final = Scope(flow="imports", basis="consumption", classification="HS", level=10)
HS2_SCOPE: Final = Scope(flow="imports", basis="general", classification="HS", level=2, source="census-hs2")
LOAD_HINT: Final = (
    "load their HTS10 imports with `nearshore data fetch census --flow imports --basis consumption --level HS10 "
    "--from YYYY-01 --to YYYY-12` (the Census API client fetches every partner) or a DataWeb Query Export with "
    "`nearshore data load dataweb FILE.xlsx`; or run at chapter level with --level hs2 (census-hs2, every partner)"
)


@dataclass(frozen=True)
class Market:
    """Lines of the market: product code, partner, imports and the USMCA-claimed part, in U.S. dollars."""

    level: Level
    year: int
    codes: tuple[str, ...]
    partners: tuple[str, ...]
    imports: np.ndarray
    claimed: np.ndarray
    provenance: Provenance
    notes: tuple[str, ...] = ()
    lacking: str = ""

    def __len__(self) -> int:
        return len(self.codes)


def read_market(
    reader: Reader,
    level: Level,
    year: int | None = None,
    products: Sequence[str] | None = None,
    partners: Sequence[str] | None = None,
    as_of: str | None = None,
) -> Market:
    """The market of `level` in `year` (default: the latest complete year), restricted to HS prefixes `products`
    and ISO3 `partners` when given."""
    base = HTS10_SCOPE if level == "hts10" else HS2_SCOPE
    scope = replace(
        base, commodities=tuple(products) if products else None, partners=tuple(partners) if partners else None
    )
    year = year if year is not None else _latest_year(reader, scope, as_of)
    rows = query.yearly(reader, scope, ["commodity", "partner"], [year], as_of)
    if not rows.rows:
        raise DataNotFound(
            f"no {level} imports in the store for {year} ({scope.describe()}); "
            + ("load them (see `nearshore data info`)" if level == "hs2" else LOAD_HINT)
        )
    codes = tuple(str(r[0]) for r in rows.rows)
    who = tuple(str(r[1]) for r in rows.rows)
    imports = np.array([float(r[3] or 0.0) for r in rows.rows])
    claimed, notes = (
        (np.zeros(len(codes)), ()) if level == "hs2" else _claims(reader, scope, year, codes, who, imports, as_of)
    )
    when = When(years=(year,))
    prov = query.provenance(reader, replace(scope, programs=("ALL", "USMCA")), as_of, rows.sql, when=when)
    lacking = _lacking(reader, level, year, codes, who, as_of)
    return Market(level, year, codes, who, imports, claimed, prov, notes, lacking)


def _latest_year(reader: Reader, scope: Scope, as_of: str | None) -> int:
    extent = query.extent(reader, scope, as_of)
    if extent.last_year is None or extent.first_year is None:
        raise DataNotFound(f"the store holds no imports for {scope.describe()}; {LOAD_HINT}")
    for year in range(extent.last_year, extent.first_year - 1, -1):
        if query.yearly(reader, scope, (), [year], as_of).rows:
            return year
    raise DataNotFound(f"the store holds no complete year of imports for {scope.describe()}")


def _claims(
    reader: Reader,
    scope: Scope,
    year: int,
    codes: tuple[str, ...],
    partners: tuple[str, ...],
    imports: np.ndarray,
    as_of: str | None,
) -> tuple[np.ndarray, tuple[str, ...]]:
    """The USMCA-claimed value of each line: its USMCA rows, else the annual share times its value."""
    index = {key: k for k, key in enumerate(zip(codes, partners, strict=True))}
    claimed = np.zeros(len(codes))
    usmca = query.yearly(reader, replace(scope, program="USMCA"), ["commodity", "partner"], [year], as_of)
    found = {str(r[1]) for r in usmca.rows}
    for commodity, partner, _, value, _ in usmca.rows:
        k = index.get((str(commodity), str(partner)))
        if k is not None:
            claimed[k] = min(float(value or 0.0), imports[k])
    notes: list[str] = []
    missing = [p for p in USMCA if p in set(partners) and p not in found]
    if missing:
        shares = query.shares.program_shares(reader, year, "USMCA", missing, 10, as_of)
        for commodity, partner, share, _, _ in shares.rows:
            k = index.get((str(commodity), str(partner)))
            if k is not None:
                claimed[k] = imports[k] * min(max(float(share), 0.0), 1.0)
        how = "annual claimed shares (program_shares)" if shares.rows else "none found: no line claims"
        notes.append(f"USMCA claims of {', '.join(missing)} in {year}: {how}")
    return claimed, tuple(notes)


def _lacking(
    reader: Reader, level: Level, year: int, codes: tuple[str, ...], partners: tuple[str, ...], as_of: str | None
) -> str:
    """Which partners the market lacks, measured on the Census HS2 imports of its chapters (every partner)."""
    if level == "hs2":
        return ""
    chapters = tuple(sorted({c[:2] for c in codes}))
    extent = query.extent(reader, HS2_SCOPE, as_of)
    if extent.last_year is None:
        return f"the market holds {len(set(partners))} partner(s) only; {LOAD_HINT}"
    on = min(year, extent.last_year)
    rows = query.yearly(reader, replace(HS2_SCOPE, commodities=chapters), ["partner"], [on], as_of).rows
    total = sum(float(r[2] or 0.0) for r in rows)
    held = set(partners)
    gaps = sorted(((float(r[2] or 0.0), str(r[0])) for r in rows if str(r[0]) not in held), reverse=True)
    if not gaps or total <= 0:
        return ""
    covered = 100.0 * (total - sum(v for v, _ in gaps)) / total
    top = ", ".join(f"{p} {100.0 * v / total:.1f}%" for v, p in gaps[:8])
    return (
        f"the HTS10 market holds {len(held)} partner(s), {covered:.1f}% of U.S. general imports of its "
        f"{len(chapters)} chapter(s) in {on} (Census HS2); it lacks {len(gaps)} partner(s) ({top}"
        f"{', ...' if len(gaps) > 8 else ''}): {LOAD_HINT}"
    )


__all__ = ["LEVELS", "LOAD_HINT", "Level", "Market", "read_market"]
