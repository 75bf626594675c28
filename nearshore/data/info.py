"""What the store holds, per source: vintages, coverage and row counts."""

from __future__ import annotations

from dataclasses import dataclass

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


_TRADE = """
SELECT source,
       list(DISTINCT vintage ORDER BY vintage) FILTER (WHERE superseded_by IS NULL),
       min(year) FILTER (WHERE superseded_by IS NULL), max(year) FILTER (WHERE superseded_by IS NULL),
       count(DISTINCT (year, month)) FILTER (WHERE month IS NOT NULL AND superseded_by IS NULL),
       count(DISTINCT partner) FILTER (WHERE partner_kind = 'country' AND superseded_by IS NULL),
       count(DISTINCT partner) FILTER (WHERE partner_kind <> 'country' AND superseded_by IS NULL),
       list(DISTINCT classification || CASE WHEN level > 0 THEN '/' || level ELSE '' END
            ORDER BY classification || CASE WHEN level > 0 THEN '/' || level ELSE '' END),
       list(DISTINCT flow || ' (' || basis || ')' ORDER BY flow || ' (' || basis || ')'),
       count(*) FILTER (WHERE superseded_by IS NULL), count(superseded_by), count(DISTINCT load_id)
FROM trade_flows GROUP BY source ORDER BY source
"""

_SHARES = """
SELECT source, list(DISTINCT vintage ORDER BY vintage), min(year), max(year),
       count(DISTINCT (year, month)) FILTER (WHERE month IS NOT NULL), count(DISTINCT partner), 0,
       list(DISTINCT classification || '/' || length(commodity)), list(DISTINCT 'imports (consumption)'),
       count(*) FILTER (WHERE superseded_by IS NULL), count(superseded_by), count(DISTINCT load_id)
FROM program_shares GROUP BY source ORDER BY source
"""

_HTS = """
SELECT source, list(DISTINCT vintage ORDER BY vintage), NULL, NULL, 0, 0, 0,
       list(DISTINCT 'HTS ' || revision), [],
       count(*) FILTER (WHERE superseded_by IS NULL), count(superseded_by), count(DISTINCT load_id)
FROM hts_schedule GROUP BY source ORDER BY source
"""


def store_info(store: Store) -> StoreInfo:
    """Per source and table: what the store holds now (current rows) and how many rows are superseded."""
    sources: list[SourceCoverage] = []
    for table, sql in (("trade_flows", _TRADE), ("program_shares", _SHARES), ("hts_schedule", _HTS)):
        for row in store.query(sql).rows:
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
