"""The embedded DuckDB store: atomic, vintage-aware loads and read access to current or past figures.

A load is one transaction. Rows with the same key (schema.TABLES) as rows already stored are:
replaced when the vintage is the same; marked superseded (kept, for `as_of`) when the new vintage is newer;
stored already superseded when an older vintage arrives after a newer one.

Opening: read-write (one process at a time: loads) or read-only (any number of processes at once, e.g. the
workers of a server). While another process holds the file, opening waits up to `lock_timeout` seconds
(setting `lock_timeout`) and then fails with a StoreError saying who holds it. Reads go through the query layer
(nearshore.data.query) via `store.engine`.
"""

from __future__ import annotations

import contextlib
import math
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import duckdb

from nearshore.data import schema
from nearshore.data.query import catalog
from nearshore.data.query.duckdb import DuckDBEngine, out_of_memory, run
from nearshore.data.query.engine import Result
from nearshore.data.query.sql import table as table_sql
from nearshore.errors import ConfigError, StoreError
from nearshore.settings import Settings

if TYPE_CHECKING:
    from nearshore.data.batch import Batch  # imports pyarrow: only a load needs it

DEFAULT_LOCK_TIMEOUT: Final = 10.0
_LOCKED = re.compile(r"Could not set lock on file")
_PID = re.compile(r"\(PID (\d+)\)")


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


def scratch_connection(memory_limit: str = "") -> duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB connection under `memory_limit` (empty: DuckDB's default), progress bar off."""
    con = duckdb.connect(config={"memory_limit": memory_limit} if memory_limit else {})
    con.execute("SET enable_progress_bar = false")
    return con


class Store:
    """A nearshore DuckDB store. Use `Store.open(settings)` or `Store(path)`; close when done.

    `read_only=True` opens an existing store for reading only: many processes may do so at once.
    """

    def __init__(
        self,
        path: str | Path = ":memory:",
        *,
        read_only: bool = False,
        memory_limit: str = "",
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ) -> None:
        self.path = str(path)
        self.read_only = read_only
        self.memory_limit = memory_limit
        if not math.isfinite(lock_timeout) or lock_timeout < 0:
            raise ConfigError(
                f"lock_timeout (NEARSHORE_LOCK_TIMEOUT) must be a number of seconds, 0 or more, got {lock_timeout!r}"
            )
        if self.path != ":memory:" and read_only and not Path(self.path).exists():
            raise StoreError(
                f"the store {self.path} does not exist, so it cannot be opened read-only; create it with "
                "`nearshore data seed` (the embedded snapshot) or `nearshore data load SOURCE FILE`"
            )
        if self.path != ":memory:" and not read_only:
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the folder of the store {self.path}: {exc.strerror or exc}; point NEARSHORE_DB "
                    "(or NEARSHORE_DATA_DIR) at a place you can write to"
                ) from None
        config: dict[str, str | bool | int | float | list[str]] = {"memory_limit": memory_limit} if memory_limit else {}
        self.con = self._connect(config, lock_timeout)
        # DuckDB draws a progress bar on stdout for slow statements: it would corrupt JSON and CSV output
        self.con.execute("SET enable_progress_bar = false")
        self.engine = DuckDBEngine(self.con)
        if not read_only:
            try:
                self._create()
            except duckdb.OutOfMemoryException as exc:
                self.con.close()
                raise out_of_memory(exc, f"creating the tables of the store {self.path}") from None

    def _connect(
        self, config: dict[str, str | bool | int | float | list[str]], lock_timeout: float
    ) -> duckdb.DuckDBPyConnection:
        """Connect, waiting (up to `lock_timeout` seconds) while another process holds a conflicting lock."""
        deadline = time.monotonic() + lock_timeout
        delay = 0.05
        while True:
            try:
                return duckdb.connect(self.path, read_only=self.read_only, config=config)
            except duckdb.Error as exc:
                if not _LOCKED.search(str(exc)):
                    raise StoreError(
                        f"cannot open the store {self.path}: {exc}. If the file is not a nearshore store or is "
                        "damaged, point NEARSHORE_DB at another file (or move it aside and run `nearshore data seed`)"
                    ) from exc
                if time.monotonic() >= deadline:
                    raise self._locked(exc, lock_timeout) from exc
            time.sleep(min(delay, max(deadline - time.monotonic(), 0.0)))
            delay = min(delay * 2, 0.5)

    def _locked(self, exc: duckdb.Error, waited: float) -> StoreError:
        found = _PID.search(str(exc))
        who = f"another process (PID {found.group(1)})" if found else "another process"
        if self.read_only:
            what = f"{who} is writing to it: a load is running"
        else:
            what = f"{who} has it open (a load, or a command reading it)"
        return StoreError(
            f"the store {self.path} is locked: {what}. Waited {waited:g} s; try again when it has finished, or "
            "wait longer with NEARSHORE_LOCK_TIMEOUT (seconds)"
        )

    @classmethod
    def open(cls, settings: Settings | None = None, *, read_only: bool = False) -> Store:
        """The configured store (setting `db_path`), read-write or read-only."""
        settings = settings or Settings.load()
        return cls(
            settings.db_path(),
            read_only=read_only,
            memory_limit=settings.get("memory_limit"),
            lock_timeout=settings.number("lock_timeout"),
        )

    def cursor(self) -> Store:
        """A Store over a new cursor of this one's database: the same file and mode, its own connection for one
        thread (a DuckDB connection must not be used by two threads at once). Close it when done."""
        view = object.__new__(Store)
        view.path, view.read_only, view.memory_limit = self.path, self.read_only, self.memory_limit
        view.con = self.con.cursor()
        view.con.execute("SET enable_progress_bar = false")
        view.engine = DuckDBEngine(view.con)
        return view

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
        """Run one statement with `?` parameters (readers use the query layer, nearshore.data.query)."""
        return run(self.con, sql, params)

    def relation(self, table: str, as_of: str | None = None) -> str:
        """SQL for the rows of `table` current now, or as they stood at vintage `as_of`."""
        return table_sql(self, table, as_of)

    # -- writing -------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction: committed when the block ends, rolled back on any error (DuckDB running out of
        memory becomes a StoreError with a hint)."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException as exc:
            self.con.execute("ROLLBACK")
            if isinstance(exc, duckdb.OutOfMemoryException):
                raise out_of_memory(exc, f"writing to the store {self.path}") from exc
            raise
        self.con.execute("COMMIT")

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(
                f"the store {self.path} is open read-only: loads need a read-write store "
                "(`open_store()` / `Store(path)` without read_only)"
            )

    def load(self, batch: Batch) -> LoadReport:
        """Store a batch in one transaction; an error or a killed process leaves the store unchanged."""
        self._writable()
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
        from nearshore.data.batch import check_vintage

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
        """Every load, in order (see nearshore.data.query.catalog)."""
        return catalog.loads(self)

    def restore(self, loads: Sequence[Mapping[str, Any]], tables: Sequence[tuple[str, Path]]) -> None:
        """Fill an empty store in one transaction: the `loads` rows as written in a snapshot manifest, then each
        (table, Parquet file) pair. Columns are matched by name, so a file written before a nullable column was
        added still loads (the column stays NULL)."""
        unknown = [name for name, _ in tables if name not in schema.TABLES]
        if unknown:
            raise StoreError(f"cannot restore unknown tables {unknown}; tables: {', '.join(schema.TABLES)}")
        with self.transaction() as con:
            for load in loads:
                con.execute(
                    "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?::TIMESTAMP, ?, 0, 0, ?)",
                    [
                        load["load_id"],
                        load["source"],
                        load["target"],
                        load["origin"],
                        load["checksum"],
                        load["vintage"],
                        load["loaded_at"],
                        load["rows"],
                        load.get("warnings", ""),
                    ],
                )
            for name, path in tables:
                con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM read_parquet(?)", [str(path)])

    def export(self, table: str, path: Path, order_by: str) -> None:
        """Write every row of `table` (current and superseded) to a zstd Parquet file, sorted by `order_by`
        (column names of the table)."""
        if table not in schema.TABLES:
            raise StoreError(f"unknown table {table!r}; tables: {', '.join(schema.TABLES)}")
        names = set(schema.column_names(table))
        unknown = [c.strip() for c in order_by.split(",") if c.strip() not in names]
        if unknown:
            raise StoreError(f"cannot sort {table} by unknown columns {unknown}")
        escaped = str(path).replace("'", "''")
        self.con.execute(
            f"COPY (SELECT * FROM {table} ORDER BY {order_by}) TO '{escaped}' "
            "(FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 19)"
        )
