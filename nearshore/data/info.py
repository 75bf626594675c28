"""What the store holds, per source: vintages, coverage and row counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from nearshore.data.query import catalog

if TYPE_CHECKING:
    from nearshore.data.store import Store


@dataclass(frozen=True)
class SourceCoverage:
    source: str
    table: str
    vintages: tuple[str, ...]
    years: tuple[int, int] | None
    months: int
    partners: int
    aggregates: int
    classifications: tuple[str, ...]
    flows: tuple[str, ...]
    rows: int
    superseded_rows: int
    loads: int


@dataclass(frozen=True)
class StoreInfo:
    path: str
    sources: tuple[SourceCoverage, ...]

    @property
    def empty(self) -> bool:
        return not self.sources


def store_info(store: Store) -> StoreInfo:
    """Per source and table: what the store holds now (current rows) and how many rows are superseded."""
    sources: list[SourceCoverage] = []
    for table in ("trade_flows", "program_shares", "hts_schedule"):
        for row in catalog.coverage(store, table).rows:
            years = (int(row[2]), int(row[3])) if row[2] is not None else None
            sources.append(
                SourceCoverage(
                    source=row[0],
                    table=table,
                    vintages=tuple(row[1] or ()),
                    years=years,
                    months=int(row[4]),
                    partners=int(row[5]),
                    aggregates=int(row[6]),
                    classifications=tuple(row[7] or ()),
                    flows=tuple(row[8] or ()),
                    rows=int(row[9]),
                    superseded_rows=int(row[10]),
                    loads=int(row[11]),
                )
            )
    return StoreInfo(store.path, tuple(sources))
