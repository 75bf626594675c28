"""Readers of what the store holds: the loads (provenance of every load), row counts, and per source the
vintages, periods, partners and classifications of each table."""

from __future__ import annotations

from typing import Final

from nearshore.data import schema
from nearshore.data.query.engine import Engine, Reader, Result
from nearshore.data.query.sql import YEAR_MONTH
from nearshore.errors import StoreError

LOAD_COLUMNS: Final = (
    "load_id",
    "source",
    "target",
    "origin",
    "checksum",
    "vintage",
    "loaded_at",
    "rows",
    "replaced",
    "superseded",
    "warnings",
)
# What `nearshore data loads` lists: the target table under the name `table`, without the warnings.
LISTING: Final = (
    "load_id",
    "source",
    "target AS table",
    "origin",
    "vintage",
    "checksum",
    "loaded_at",
    "rows",
    "replaced",
    "superseded",
)


def loads(reader: Reader) -> Result:
    """Every load, in order: all the columns of the `loads` table."""
    return reader.engine.execute(f"SELECT {', '.join(LOAD_COLUMNS)} FROM loads ORDER BY load_id")


def load_listing(reader: Reader) -> Result:
    """Every load, in order, with the columns `nearshore data loads` prints."""
    return reader.engine.execute(f"SELECT {', '.join(LISTING)} FROM loads ORDER BY load_id")


def load_of(reader: Reader, source: str, vintage: str, origin: str) -> int | None:
    """The id of the newest load of `source` from `origin` at `vintage`, or None."""
    e = reader.engine
    found = e.execute(
        f"SELECT max(load_id) FROM loads WHERE source = {e.literal(source)} AND vintage = {e.literal(vintage)} "
        f"AND origin = {e.literal(origin)}"
    ).scalar()
    return None if found is None else int(found)


def loads_of_target(reader: Reader, target: str) -> Result:
    """The loads into store table `target`: load id, source checksum and vintage, oldest first."""
    e = reader.engine
    return e.execute(
        f"SELECT load_id, checksum, vintage FROM loads WHERE target = {e.literal(target)} ORDER BY load_id"
    )


def row_count(reader: Reader, table: str) -> int:
    """Rows in a store table (current and superseded), or loads in `loads`."""
    if table != "loads" and table not in schema.TABLES:
        raise StoreError(f"unknown table {table!r}; tables: loads, {', '.join(schema.TABLES)}")
    return int(reader.engine.execute(f"SELECT count(*) FROM {table}").scalar() or 0)


_CURRENT: Final = "superseded_by IS NULL"
_CLASSIFICATION: Final = "classification || CASE WHEN level > 0 THEN '/' || CAST(level AS STRING) ELSE '' END"
_FLOW: Final = "flow || ' (' || basis || ')'"
_SHARE_CLASSIFICATION: Final = "classification || '/' || CAST(length(commodity) AS STRING)"
_SHARE_FLOW: Final = "'imports (consumption)'"
_REVISION: Final = "'HTS ' || revision"


def _trade(e: Engine) -> str:
    cur = _CURRENT
    return (
        f"SELECT source, {e.sorted_distinct('vintage', cur)}, "
        f"min(CASE WHEN {cur} THEN year END), max(CASE WHEN {cur} THEN year END), "
        f"count(DISTINCT CASE WHEN month IS NOT NULL AND {cur} THEN {YEAR_MONTH} END), "
        f"count(DISTINCT CASE WHEN partner_kind = 'country' AND {cur} THEN partner END), "
        f"count(DISTINCT CASE WHEN partner_kind <> 'country' AND {cur} THEN partner END), "
        f"{e.sorted_distinct(_CLASSIFICATION)}, {e.sorted_distinct(_FLOW)}, "
        f"count(CASE WHEN {cur} THEN 1 END), count(superseded_by), count(DISTINCT load_id) "
        "FROM trade_flows GROUP BY source ORDER BY source"
    )


def _shares(e: Engine) -> str:
    return (
        f"SELECT source, {e.sorted_distinct('vintage')}, min(year), max(year), "
        f"count(DISTINCT CASE WHEN month IS NOT NULL THEN {YEAR_MONTH} END), count(DISTINCT partner), 0, "
        f"{e.sorted_distinct(_SHARE_CLASSIFICATION)}, "
        f"{e.sorted_distinct(_SHARE_FLOW)}, "
        f"count(CASE WHEN {_CURRENT} THEN 1 END), count(superseded_by), count(DISTINCT load_id) "
        "FROM program_shares GROUP BY source ORDER BY source"
    )


def _hts(e: Engine) -> str:
    return (
        f"SELECT source, {e.sorted_distinct('vintage')}, NULL, NULL, 0, 0, 0, "
        f"{e.sorted_distinct(_REVISION)}, NULL, "
        f"count(CASE WHEN {_CURRENT} THEN 1 END), count(superseded_by), count(DISTINCT load_id) "
        "FROM hts_schedule GROUP BY source ORDER BY source"
    )


_COVERAGE: Final = {"trade_flows": _trade, "program_shares": _shares, "hts_schedule": _hts}


def coverage(reader: Reader, table: str) -> Result:
    """Per source of a store table (trade_flows, program_shares, hts_schedule): source, vintages (current
    ones for trade_flows), first and last year, distinct months, countries, other partners, classifications,
    flows, current rows, superseded rows, loads."""
    if table not in _COVERAGE:
        raise StoreError(f"unknown table {table!r}; tables: {', '.join(_COVERAGE)}")
    return reader.engine.execute(_COVERAGE[table](reader.engine))


def latest_by_source(reader: Reader, table: str) -> Result:
    """Per source of a trade table (trade_flows, program_shares), the latest period its current rows reach, as
    YYYYMM (December for annual rows), and the sorted distinct vintages. Columns: source, latest, vintages."""
    if table not in ("trade_flows", "program_shares"):
        raise StoreError(f"latest_by_source reads trade_flows or program_shares, not {table!r}")
    e = reader.engine
    return e.execute(
        f"SELECT source, max(CAST(year AS INTEGER) * 100 + coalesce(month, 12)) AS latest, "
        f"{e.sorted_distinct('vintage')} AS vintages FROM {table} WHERE superseded_by IS NULL "
        f"GROUP BY source ORDER BY source"
    )


__all__ = [
    "LISTING",
    "LOAD_COLUMNS",
    "coverage",
    "latest_by_source",
    "load_listing",
    "load_of",
    "loads",
    "loads_of_target",
    "row_count",
]
