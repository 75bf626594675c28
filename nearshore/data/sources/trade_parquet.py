"""nearshore's own long format: a Parquet file with the trade_flows batch columns (see schema.py).

For bulk data (tens of millions of rows) built by other tools: DuckDB streams the file into the store, and the
checks run as SQL over the whole file before anything is written.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from nearshore.data import schema
from nearshore.data.batch import Batch, arrow_schema, check_vintage, file_checksum
from nearshore.data.sources.base import require_file
from nearshore.data.store import LoadReport, Store
from nearshore.errors import InputError, Problem, SourceFormatError, ValidationFailed

NAME = "trade-parquet"
TITLE = "nearshore long format (Parquet with the trade_flows columns), for bulk data"
TARGET = "trade_flows"

_REQUIRED = [f.name for f in arrow_schema(TARGET) if not f.nullable]
_CHECKS = (
    ("value_usd", "value_usd < 0", "negative value", "trade values cannot be negative"),
    ("flow", f"flow NOT IN {schema.FLOWS}", "unknown flow", f"use one of {', '.join(schema.FLOWS)}"),
    ("basis", f"basis NOT IN {schema.BASES}", "unknown basis", f"use one of {', '.join(schema.BASES)}"),
    ("month", "month NOT BETWEEN 1 AND 12", "month out of range", "use 1-12, or null for annual rows"),
    *((name, f"{name} IS NULL", "missing value", "this column is required") for name in _REQUIRED),
)


def _validate(path: Path) -> None:
    names = set(pq.read_schema(path).names)
    wanted = arrow_schema(TARGET).names
    missing = [name for name in wanted if name not in names]
    if missing:
        raise SourceFormatError(
            Problem(
                str(path),
                None,
                None,
                None,
                f"wrong layout: columns {missing} are missing",
                "write every trade_flows batch column (docs/data.md)",
            )
        )
    problems: list[Problem] = []
    con = duckdb.connect()
    try:
        for column, condition, message, fix in _CHECKS:
            rows = con.execute(
                f"SELECT file_row_number + 1, {column}::VARCHAR FROM read_parquet(?, file_row_number = true) "
                f"WHERE {condition} LIMIT 5",
                [str(path)],
            ).fetchall()
            problems += [Problem(str(path), int(r), column, v, message, fix) for r, v in rows]
    finally:
        con.close()
    if problems:
        raise ValidationFailed(problems)


def parse(path: Path, *, vintage: str | None = None) -> Batch:
    """Read a small file whole into a Batch (after the same checks as `load`)."""
    require_file(path)
    _validate(path)
    if vintage is None:
        raise InputError(f"{path}: give the data's release with --vintage YYYY-MM (Parquet carries no vintage)")
    table = pq.read_table(path, columns=arrow_schema(TARGET).names).cast(arrow_schema(TARGET))
    return Batch(NAME, TARGET, str(path), file_checksum(path), check_vintage(vintage), table)


def load(store: Store, path: Path, *, vintage: str | None = None, source: str = NAME) -> LoadReport:
    """Check the whole file with SQL, then stream it into the store in one transaction."""
    require_file(path)
    _validate(path)
    if vintage is None:
        raise InputError(f"{path}: give the data's release with --vintage YYYY-MM (Parquet carries no vintage)")
    columns = ", ".join(arrow_schema(TARGET).names)
    escaped = str(path).replace("'", "''")
    return store.load_relation(
        source=source,
        target=TARGET,
        origin=str(path),
        checksum=file_checksum(path),
        vintage=vintage,
        relation=f"(SELECT {columns} FROM read_parquet('{escaped}'))",
    )
