"""A second engine plugs in by implementing `Engine` alone: analytics, the tariff reads and the store's catalog
give the same figures through it as through the DuckDB engine.

`StandardEngine` runs on the same DuckDB file but spells every engine-specific piece the way an engine without
DuckDB's extensions must (the as-of rows from a window in a subquery instead of QUALIFY, a substring comparison
instead of starts_with, array_agg instead of list): what a Spark engine would do. The readers see only an
object with an `engine`, not the Store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pytest

from nearshore import analytics as a
from nearshore.data.query import Engine, Result, catalog
from nearshore.data.query.duckdb import DuckDBEngine, run
from nearshore.data.store import Store
from nearshore.errors import DataNotFound
from nearshore.tariffs.effective import effective_rate
from nearshore.tariffs.policy import load_policy
from nearshore.tariffs.schedule import load_schedule


class StandardEngine:
    name = "standard"

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.statements: list[str] = []

    def execute(self, sql: str) -> Result:
        self.statements.append(sql)
        return run(self.con, sql)

    def literal(self, value: object) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, (bool, int, float)):
            return str(value).upper() if isinstance(value, bool) else repr(value)
        return "'" + str(value).replace("'", "''") + "'"

    def relation(self, table: str, key: Sequence[str], as_of: str | None) -> str:
        if as_of is None:
            return f"(SELECT * FROM {table} WHERE superseded_by IS NULL)"
        newest = f"max(vintage) OVER (PARTITION BY {', '.join(key)})"
        return (
            f"(SELECT * FROM (SELECT *, {newest} AS newest_vintage FROM {table} "
            f"WHERE vintage <= {self.literal(as_of)}) AS v WHERE vintage = newest_vintage)"
        )

    def starts_with(self, column: str, prefix: str) -> str:
        return f"substr({column}, 1, {len(prefix)}) = {self.literal(prefix)}"

    def sorted_distinct(self, expression: str, condition: str | None = None) -> str:
        value = expression if condition is None else f"CASE WHEN {condition} THEN {expression} END"
        return f"list_sort(list_distinct(array_agg({value})))"


@dataclass
class Reader:
    engine: Engine


def _plain(value: Any, near: bool = False) -> Any:
    """A result's dict without the SQL (which differs by engine); with `near`, floats compare to 1e-12."""
    if isinstance(value, dict):
        return {k: _plain(v, near) for k, v in value.items() if k != "query"}
    if isinstance(value, list):
        return [_plain(v, near) for v in value]
    if near and isinstance(value, float):
        return pytest.approx(value, rel=1e-12)
    return value


SUITE: dict[str, Callable[[Any], Any]] = {
    "share history": lambda s: a.share(s, "MEX"),
    "share as of 2022-03": lambda s: a.share(s, "CAN", year=2021, as_of="2022-03"),
    "top by month": lambda s: a.top(s, year=2025, month=3, n=5),
    "growth ytd": lambda s: a.growth(s, "MEX", kind="ytd", year=2025, month=6, flow="total"),
    "growth cagr world": lambda s: a.growth(s, None, kind="cagr", year=2024, start_year=2014),
    "balance": lambda s: a.balance(s, "CAN", year=2025),
    "duty rate monthly": lambda s: a.duty_rate(s, "CHN", year=2025, monthly=True),
    "composition by sector": lambda s: a.composition(s, "MEX", year=2025),
    "concentration in a sector": lambda s: a.concentration(s, "MEX", year=2025, level=6, sector="automotive"),
    "utilisation by chapter": lambda s: a.utilisation(s, "CAN", year=2025, by="chapter"),
    "utilisation census": lambda s: a.utilisation(s, "MEX", year=2025, source="census", by="month"),
    "unclaimed": lambda s: a.unclaimed(s, "MEX", year=2025, n=5),
    "event window": lambda s: a.event_window(s, "ieepa-ca-mx-effective"),
}


@pytest.mark.parametrize("name", list(SUITE))
def test_analytics_give_the_same_figures_on_a_second_engine(snapshot: Store, name: str) -> None:
    engine = StandardEngine(snapshot.con)
    ours = _plain(SUITE[name](Reader(engine)).to_dict())
    assert ours == _plain(SUITE[name](snapshot).to_dict(), near=True)
    assert engine.statements, "the second engine ran the statements"
    assert not any("QUALIFY" in sql or "starts_with(" in sql for sql in engine.statements)


def test_a_missing_figure_is_explained_alike_on_a_second_engine(snapshot: Store) -> None:
    errors = []
    for reader in (snapshot, Reader(StandardEngine(snapshot.con))):
        with pytest.raises(DataNotFound) as caught:
            a.duty_rate(reader, "DEU", year=2025)
        errors.append(str(caught.value))
    assert errors[0] == errors[1]


def test_tariff_reads_and_the_catalog_are_the_same_on_a_second_engine(snapshot: Store) -> None:
    reader = Reader(StandardEngine(snapshot.con))
    schedule = load_schedule(reader, as_of="2026-01")  # type: ignore[arg-type]  # a Reader, not a Store
    assert schedule.lines.keys() == load_schedule(snapshot).lines.keys()
    mine = effective_rate(reader, schedule, load_policy(), partner="MEX", year=2025)  # type: ignore[arg-type]  # (the same)
    theirs = effective_rate(snapshot, load_schedule(snapshot), load_policy(), partner="MEX", year=2025)
    assert mine.total.modelled_duty == pytest.approx(theirs.total.modelled_duty, rel=1e-12)
    assert mine.total.collected_rate == pytest.approx(theirs.total.collected_rate, rel=1e-12)
    for table in ("trade_flows", "program_shares", "hts_schedule"):
        assert catalog.coverage(reader, table).rows == catalog.coverage(snapshot, table).rows


def test_the_duckdb_engine_is_an_engine(snapshot: Store) -> None:
    engine: Engine = DuckDBEngine(snapshot.con)
    assert engine.name == "duckdb"
    assert snapshot.engine.literal("it's") == "'it''s'"
    assert engine.execute("SELECT 1 AS one").records() == [{"one": 1}]
