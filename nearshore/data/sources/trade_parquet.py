"""nearshore's own long format: a Parquet file with the trade_flows batch columns (see schema.py).

For bulk data (tens of millions of rows) built by other tools: DuckDB streams the file into the store, and the
checks run as SQL over the whole file before anything is written: column types, required values, value ranges
(finite, not negative, below the figure limit), codes, years, periods no later than the vintage, and one row
per store key.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from nearshore.data import schema
from nearshore.data.batch import Batch, arrow_schema, file_checksum
from nearshore.data.query.duckdb import out_of_memory
from nearshore.data.sources.base import LIMIT, require_file
from nearshore.data.sources.checks import check_vintage_given, this_month
from nearshore.data.store import LoadReport, Store, scratch_connection
from nearshore.errors import InputError, Problem, SourceFormatError, ValidationFailed

NAME = "trade-parquet"
TITLE = "nearshore long format (Parquet with the trade_flows columns), for bulk data"
TARGET = "trade_flows"
FIRST_YEAR = 1962  # the earliest trade statistics any source of the store holds (UN Comtrade)

_REQUIRED = [f.name for f in arrow_schema(TARGET) if not f.nullable]
_KEY = [c for c in schema.TRADE_KEY if c != "source"]
# Bad rows reported at most (the first ones in the file).
BAD_ROWS = 20


def _figure(column: str) -> str:
    return f"isnan({column}) OR isinf({column}) OR {column} < 0 OR {column} > {LIMIT:g}"


def _checks(vintage: str) -> tuple[tuple[str, str, str, str], ...]:
    """(column, SQL condition of a bad row, message, fix) for every check."""
    last = this_month()[0]
    return (
        *((name, f"{name} IS NULL", "missing value", "this column is required") for name in _REQUIRED),
        *(
            (name, _figure(name), "not a finite, non-negative figure up to the limit", "fix the value")
            for name in ("value_usd", "duty_usd", "quantity")
        ),
        ("flow", f"flow NOT IN {schema.FLOWS}", "unknown flow", f"use one of {', '.join(schema.FLOWS)}"),
        ("basis", f"basis NOT IN {schema.BASES}", "unknown basis", f"use one of {', '.join(schema.BASES)}"),
        ("year", f"year NOT BETWEEN {FIRST_YEAR} AND {last}", "year out of range", f"use {FIRST_YEAR}-{last}"),
        ("month", "month NOT BETWEEN 1 AND 12", "month out of range", "use 1-12, or null for annual rows"),
        ("level", "level NOT IN (0, 2, 4, 6, 8, 10)", "not a commodity level", "use the digits of the code"),
        (
            "year",
            f"year::BIGINT * 100 + coalesce(month, 12) > {int(vintage[:4]) * 100 + int(vintage[5:7])}",
            f"data after the vintage {vintage}: a release cannot hold later figures",
            "check the year and month, or the --vintage",
        ),
    )


def _check_types(path: Path) -> None:
    try:
        found = pq.read_schema(path)
    except (pa.ArrowException, OSError) as exc:
        raise SourceFormatError(
            Problem(str(path), None, None, None, f"not a readable Parquet file: {exc}", "write it again")
        ) from None
    wanted = arrow_schema(TARGET)
    missing = [name for name in wanted.names if name not in found.names]
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
    for field in wanted:
        kind = found.field(field.name).type
        numeric = pa.types.is_integer(kind) or pa.types.is_floating(kind)
        if (pa.types.is_string(field.type) and not pa.types.is_string(kind)) or (
            not pa.types.is_string(field.type) and not numeric
        ):
            raise SourceFormatError(
                Problem(str(path), None, field.name, str(kind), f"wrong type: this column holds {field.type}", "fix it")
            )


def _validate(path: Path, vintage: str, memory_limit: str = "") -> None:
    """The checks in one scan that stops at the first BAD_ROWS bad rows, then the key: counted by hash in a second
    scan, and located exactly only when some key repeats. DuckDB works under `memory_limit` (the store's)."""
    _check_types(path)
    checks = _checks(vintage)
    source = "read_parquet(?, file_row_number = true)"
    flags = ", ".join(f"coalesce({cond}, false)" for _, cond, _, _ in checks)
    values = ", ".join(f"{column}::VARCHAR" for column, _, _, _ in checks)
    key = ", ".join(_KEY)
    con = scratch_connection(memory_limit)
    # Parquet statistics leave NaN out of a row group's min/max, so a pushed-down filter skips the group and
    # misses NaN and the values beside it (DuckDB 2.0): these checks read every row.
    con.execute("SET disabled_optimizers = 'filter_pushdown,statistics_propagation'")
    try:
        any_bad = " OR ".join(f"coalesce({cond}, false)" for _, cond, _, _ in checks)
        first = con.execute(f"SELECT file_row_number FROM {source} WHERE {any_bad} LIMIT {BAD_ROWS}", [str(path)])
        numbers = [int(r[0]) for r in first.fetchall()]
        bad = con.execute(
            f"SELECT file_row_number + 1, [{flags}], [{values}] FROM {source} "
            f"WHERE file_row_number IN ({', '.join(map(str, numbers)) or 'NULL'}) ORDER BY 1",
            [str(path)],
        ).fetchall()
        problems = [
            Problem(str(path), int(row), column, shown[i], message, fix)
            for row, hits, shown in bad
            for i, (column, _, message, fix) in enumerate(checks)
            if hits[i]
        ]
        # hashing every column also reads every page, so a damaged one fails here, not inside the store's load
        every = ", ".join(arrow_schema(TARGET).names)
        rows, keys, _ = con.execute(
            f"SELECT count(*), count(DISTINCT hash({key})), bit_xor(hash({every})) FROM {source}", [str(path)]
        ).fetchone() or (0, 0, 0)
        if rows != keys:
            repeated = con.execute(
                f"SELECT min(file_row_number) + 1, count(*) FROM {source} GROUP BY {key} HAVING count(*) > 1 "
                f"ORDER BY 1 LIMIT {BAD_ROWS}",
                [str(path)],
            ).fetchall()
            problems += [
                Problem(str(path), int(r), None, None, f"{n} rows share one key ({key})", "remove the duplicates")
                for r, n in repeated
            ]
    except duckdb.OutOfMemoryException as exc:
        raise out_of_memory(exc, f"checking {path}") from None
    except duckdb.Error as exc:
        raise SourceFormatError(
            Problem(str(path), None, None, None, f"not a readable Parquet file: {exc}", "write it again")
        ) from None
    finally:
        con.close()
    if problems:
        raise ValidationFailed(problems)


def _vintage(path: Path, vintage: str | None) -> str:
    if vintage is None:
        raise InputError(f"{path}: give the data's release with --vintage YYYY-MM (Parquet carries no vintage)")
    return check_vintage_given(vintage)


def parse(path: Path, *, vintage: str | None = None) -> Batch:
    """Read a small file whole into a Batch (after the same checks as `load`)."""
    require_file(path)
    vintage = _vintage(path, vintage)
    _validate(path, vintage)
    table = pq.read_table(path, columns=arrow_schema(TARGET).names).cast(arrow_schema(TARGET))
    return Batch(NAME, TARGET, str(path), file_checksum(path), vintage, table)


def load(store: Store, path: Path, *, vintage: str | None = None, source: str = NAME) -> LoadReport:
    """Check the whole file with SQL, then stream it into the store in one transaction."""
    require_file(path)
    vintage = _vintage(path, vintage)
    _validate(path, vintage, store.memory_limit)
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
