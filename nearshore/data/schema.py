"""The store's tables: one long trade-flow table, its provenance, and the side tables.

Every data row carries the `load_id` of the load that brought it; `loads` says where that load came from
(source, file or request, checksum, vintage, time). Rows that a newer vintage replaced keep their place,
marked with `superseded_by`, so `as_of` queries can still see them.
"""

from __future__ import annotations

from typing import Final, Literal

SCHEMA_VERSION: Final = 1

Flow = Literal["imports", "exports"]
Basis = Literal["general", "consumption", "total", "domestic"]

FLOWS: Final = ("imports", "exports")
BASES: Final = ("general", "consumption", "total", "domestic")

# The columns that identify one figure; two rows with the same key are the same figure
# (possibly at different vintages).
TRADE_KEY: Final = (
    "source",
    "reporter",
    "partner_code",
    "flow",
    "basis",
    "district",
    "year",
    "month",
    "classification",
    "commodity",
    "program",
)

TRADE_COLUMNS: Final = (
    ("reporter", "VARCHAR NOT NULL"),  # ISO3 of the reporting country (USA for Census/USITC)
    ("partner", "VARCHAR NOT NULL"),  # ISO3, or AGG_<code> for aggregates, WLD for world
    ("partner_code", "VARCHAR NOT NULL"),  # the source's own partner code (Census Schedule C, M49)
    ("partner_name", "VARCHAR NOT NULL"),
    ("partner_kind", "VARCHAR NOT NULL"),  # 'country' | 'aggregate' | 'world'
    ("flow", "VARCHAR NOT NULL"),  # 'imports' | 'exports'
    ("basis", "VARCHAR NOT NULL"),  # 'general' | 'consumption' | 'total' | 'domestic'
    ("district", "VARCHAR"),  # customs district or port, where the source splits by it
    ("year", "SMALLINT NOT NULL"),
    ("month", "TINYINT"),  # NULL for annual figures
    ("classification", "VARCHAR NOT NULL"),  # 'TOTAL' | 'HS' | 'NAICS'
    ("commodity", "VARCHAR NOT NULL"),  # '' for all commodities
    ("level", "TINYINT NOT NULL"),  # digits of the commodity code (0 for totals)
    ("value_usd", "DOUBLE NOT NULL"),  # U.S. dollars (not millions)
    ("duty_usd", "DOUBLE"),  # calculated duty, where the source gives it
    ("quantity", "DOUBLE"),
    ("unit", "VARCHAR"),
    ("program", "VARCHAR NOT NULL"),  # 'ALL' or a preference programme claimed, e.g. 'USMCA'
    ("source", "VARCHAR NOT NULL"),
    ("vintage", "VARCHAR NOT NULL"),
    ("load_id", "INTEGER NOT NULL"),
    ("superseded_by", "INTEGER"),
)

PROGRAM_SHARE_COLUMNS: Final = (
    ("reporter", "VARCHAR NOT NULL"),
    ("partner", "VARCHAR NOT NULL"),
    ("partner_code", "VARCHAR NOT NULL"),
    ("year", "SMALLINT NOT NULL"),
    ("month", "TINYINT"),
    ("classification", "VARCHAR NOT NULL"),
    ("commodity", "VARCHAR NOT NULL"),
    ("program", "VARCHAR NOT NULL"),
    ("share", "DOUBLE NOT NULL"),  # fraction 0..1 of imports for consumption claimed
    ("source", "VARCHAR NOT NULL"),
    ("vintage", "VARCHAR NOT NULL"),
    ("load_id", "INTEGER NOT NULL"),
    ("superseded_by", "INTEGER"),
)

PROGRAM_SHARE_KEY: Final = (
    "source",
    "reporter",
    "partner_code",
    "year",
    "month",
    "classification",
    "commodity",
    "program",
)

HTS_COLUMNS: Final = (
    ("revision", "VARCHAR NOT NULL"),
    ("position", "INTEGER NOT NULL"),  # order in the schedule (row number)
    ("code", "VARCHAR NOT NULL"),  # digits only, '' for indent-only text lines
    ("code_display", "VARCHAR NOT NULL"),  # as printed, e.g. '8703.23.01'
    ("indent", "TINYINT NOT NULL"),
    ("description", "VARCHAR NOT NULL"),
    ("units", "VARCHAR NOT NULL"),
    ("general_rate", "VARCHAR NOT NULL"),
    ("special_rate", "VARCHAR NOT NULL"),
    ("column2_rate", "VARCHAR NOT NULL"),
    ("quota_quantity", "VARCHAR NOT NULL"),
    ("additional_duties", "VARCHAR NOT NULL"),
    ("source", "VARCHAR NOT NULL"),
    ("vintage", "VARCHAR NOT NULL"),
    ("load_id", "INTEGER NOT NULL"),
    ("superseded_by", "INTEGER"),
)

# A schedule revision is one figure: a load replaces it whole, so lines of two files never mix.
HTS_KEY: Final = ("source", "revision")

LOADS_DDL: Final = """
CREATE TABLE IF NOT EXISTS loads (
    load_id INTEGER PRIMARY KEY,
    source VARCHAR NOT NULL,
    target VARCHAR NOT NULL,
    origin VARCHAR NOT NULL,
    checksum VARCHAR NOT NULL,
    vintage VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    rows BIGINT NOT NULL,
    replaced BIGINT NOT NULL,
    superseded BIGINT NOT NULL,
    warnings VARCHAR NOT NULL
)
"""

META_DDL: Final = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)
"""

TABLES: Final = {
    "trade_flows": (TRADE_COLUMNS, TRADE_KEY),
    "program_shares": (PROGRAM_SHARE_COLUMNS, PROGRAM_SHARE_KEY),
    "hts_schedule": (HTS_COLUMNS, HTS_KEY),
}


def create_table_sql(name: str) -> str:
    columns, _ = TABLES[name]
    body = ",\n    ".join(f"{col} {kind}" for col, kind in columns)
    return f"CREATE TABLE IF NOT EXISTS {name} (\n    {body}\n)"


def column_names(name: str) -> tuple[str, ...]:
    return tuple(col for col, _ in TABLES[name][0])
