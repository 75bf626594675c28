"""The embedded DuckDB store: atomic, vintage-aware loads and read access to current or past figures.

A load is one transaction. Rows with the same key (schema.TABLES) as rows already stored are:
replaced when the vintage is the same; marked superseded (kept, for `as_of`) when the new vintage is newer;
stored already superseded when an older vintage arrives after a newer one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from nearshore.data import schema
from nearshore.data.batch import Batch, check_vintage
from nearshore.errors import StoreError
from nearshore.settings import Settings


@dataclass(frozen=True)
class Result:
    """A small query result: column names and rows, plus the SQL that produced it."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    sql: str = ""

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def scalar(self) -> Any:
        return self.rows[0][0] if self.rows else None

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class LoadReport:
    load_id: int
    source: str
    target: str
    origin: str
    vintage: str
    rows: int
    replaced: int
    superseded: int
    warnings: tuple[str, ...]


def _key_match(key: Sequence[str], left: str, right: str) -> str:
    return " AND ".join(f"{left}.{col} IS NOT DISTINCT FROM {right}.{col}" for col in key)


class Store:
    """A nearshore DuckDB store. Use `Store.open(settings)` or `Store(path)`; close when done."""

    def __init__(self, path: str | Path = ":memory:", *, read_only: bool = False, memory_limit: str = "") -> None:
        self.path = str(path)
        if self.path != ":memory:":
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the folder of the store {self.path}: {exc.strerror or exc}; point NEARSHORE_DB "
                    "(or NEARSHORE_DATA_DIR) at a place you can write to"
                ) from None
        config: dict[str, str | bool | int | float | list[str]] = {"memory_limit": memory_limit} if memory_limit else {}
        try:
            self.con = duckdb.connect(self.path, read_only=read_only, config=config)
        except duckdb.Error as exc:
            raise StoreError(
                f"cannot open the store {self.path}: {exc}. If another nearshore process is writing to it, "
                "wait for it to finish; otherwise point NEARSHORE_DB at another file"
            ) from exc
        if not read_only:
            self._create()

    @classmethod
    def open(cls, settings: Settings | None = None, *, read_only: bool = False) -> Store:
        settings = settings or Settings.load()
        return cls(settings.db_path(), read_only=read_only, memory_limit=settings.get("memory_limit"))

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _create(self) -> None:
        self.con.execute(schema.LOADS_DDL)
        self.con.execute(schema.META_DDL)
        for table in schema.TABLES:
            self.con.execute(schema.create_table_sql(table))
            self._add_missing_columns(table)
        self.con.execute(
            "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING",
            [str(schema.SCHEMA_VERSION)],
        )

    def _add_missing_columns(self, table: str) -> None:
        """Bring a store made by an older nearshore up to date: new columns are nullable, so they are added."""
        present = {
            row[0]
            for row in self.con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
            ).fetchall()
        }
        for name, kind in schema.TABLES[table][0]:
            if name not in present:
                if "NOT NULL" in kind:
                    raise StoreError(
                        f"the store {self.path} was made by an older nearshore and lacks the required column "
                        f"{table}.{name}; move it aside and rebuild it (`nearshore data load ...`)"
                    )
                self.con.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")

    # -- reading -------------------------------------------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] | None = None) -> Result:
        try:
            cursor = self.con.execute(sql, list(params or []))
            rows = cursor.fetchall()
        except duckdb.Error as exc:
            raise StoreError(f"query failed: {exc}\nSQL: {sql}") from exc
        columns = tuple(d[0] for d in cursor.description or [])
        return Result(columns, rows, sql)

    def relation(self, table: str, as_of: str | None = None) -> str:
        """SQL for the rows of `table` current now, or as they stood at vintage `as_of`."""
        if table not in schema.TABLES:
            raise StoreError(f"unknown table {table!r}; tables: {', '.join(schema.TABLES)}")
        if as_of is None:
            return f"(SELECT * FROM {table} WHERE superseded_by IS NULL)"
        check_vintage(as_of)
        key = ", ".join(schema.TABLES[table][1])
        return (
            f"(SELECT * FROM {table} WHERE vintage <= '{as_of}' "
            f"QUALIFY vintage = max(vintage) OVER (PARTITION BY {key}))"
        )

    # -- writing -------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def load(self, batch: Batch) -> LoadReport:
        """Store a batch in one transaction; an error or a killed process leaves the store unchanged."""
        self.con.register("staged_arrow", batch.data)
        try:
            return self._load(
                batch.source, batch.target, batch.origin, batch.checksum, batch.vintage, "staged_arrow", batch.warnings
            )
        finally:
            self.con.unregister("staged_arrow")

    def load_relation(
        self,
        *,
        source: str,
        target: str,
        origin: str,
        checksum: str,
        vintage: str,
        relation: str,
        warnings: Sequence[str] = (),
    ) -> LoadReport:
        """Store rows from a SQL relation (e.g. `read_parquet('...')`) that has the batch columns of `target`.

        For inputs too large to hold in memory: DuckDB streams them, spilling to disk if it must.
        """
        return self._load(source, target, origin, checksum, check_vintage(vintage), relation, warnings)

    def _load(
        self,
        source: str,
        target: str,
        origin: str,
        checksum: str,
        vintage: str,
        relation: str,
        warnings: Sequence[str],
    ) -> LoadReport:
        key = schema.TABLES[target][1]
        names = schema.column_names(target)
        fill = {
            "source": "?::VARCHAR AS source",
            "vintage": "?::VARCHAR AS vintage",
            "load_id": "?::INTEGER AS load_id",
            "superseded_by": "NULL::INTEGER AS superseded_by",
        }
        select = ", ".join(fill.get(col, col) for col in names)
        with self.transaction() as con:
            load_id = self._count(con, "SELECT coalesce(max(load_id), 0) + 1 FROM loads")
            params = [source, vintage, load_id]
            existing = self._count(
                con, f"SELECT count(*) FROM (SELECT 1 FROM {target} WHERE source = ? LIMIT 1)", [source]
            )
            replaced = superseded = 0
            if existing:
                con.execute(f"CREATE OR REPLACE TEMP TABLE staged AS SELECT {select} FROM {relation}", params)
                replaced, superseded = self._reconcile(con, target, key, vintage, load_id)
                rows = self._count(con, "SELECT count(*) FROM staged")
                con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM staged")
                con.execute("DROP TABLE staged")
            else:  # nothing to reconcile with: stream straight into the table
                before = self._count(con, f"SELECT count(*) FROM {target}")
                con.execute(f"INSERT INTO {target} BY NAME SELECT {select} FROM {relation}", params)
                rows = self._count(con, f"SELECT count(*) FROM {target}") - before
            con.execute(
                "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    load_id,
                    source,
                    target,
                    origin,
                    checksum,
                    vintage,
                    datetime.now(UTC).replace(tzinfo=None),
                    rows,
                    replaced,
                    superseded,
                    "\n".join(warnings),
                ],
            )
            self._drop_empty_loads(con)
        return LoadReport(load_id, source, target, origin, vintage, rows, replaced, superseded, tuple(warnings))

    def _reconcile(
        self, con: duckdb.DuckDBPyConnection, target: str, key: Sequence[str], vintage: str, load_id: int
    ) -> tuple[int, int]:
        """Replace same-vintage rows, supersede older ones, and mark staged rows a newer vintage already holds.

        Written with EXISTS so that a key shared by many rows (hts_schedule: a whole revision) costs a semi join.
        """
        match = _key_match(key, "t", "s")
        in_staged = f"EXISTS (SELECT 1 FROM staged s WHERE {match})"
        replaced = self._count(con, f"SELECT count(*) FROM {target} t WHERE t.vintage = '{vintage}' AND {in_staged}")
        if replaced:
            con.execute(f"DELETE FROM {target} t WHERE t.vintage = '{vintage}' AND {in_staged}")
        current = f"t.vintage < '{vintage}' AND t.superseded_by IS NULL AND {in_staged}"
        superseded = self._count(con, f"SELECT count(*) FROM {target} t WHERE {current}")
        if superseded:
            con.execute(f"UPDATE {target} t SET superseded_by = {load_id} WHERE {current}")
        # An older vintage arriving after a newer one is stored, already superseded.
        newer = (
            f"(SELECT {', '.join(key)}, max(load_id) AS load_id FROM {target} "
            f"WHERE vintage > '{vintage}' AND superseded_by IS NULL GROUP BY ALL)"
        )
        con.execute(f"UPDATE staged s SET superseded_by = t.load_id FROM {newer} t WHERE {match}")
        return replaced, superseded

    @staticmethod
    def _count(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None) -> int:
        row = con.execute(sql, list(params or [])).fetchone()
        return int(row[0]) if row else 0

    @staticmethod
    def _drop_empty_loads(con: duckdb.DuckDBPyConnection) -> None:
        live = " UNION ".join(f"SELECT DISTINCT load_id FROM {t}" for t in schema.TABLES)
        con.execute(f"DELETE FROM loads WHERE load_id NOT IN ({live})")

    def loads(self) -> Result:
        return self.query("SELECT * FROM loads ORDER BY load_id")
