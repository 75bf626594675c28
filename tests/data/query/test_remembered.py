"""`remembered`: within the block a store runs each distinct statement once and answers repeats from memory (a
fresh list of rows each time); after it, the store runs every statement again. Shown on a real DuckDB file with a
sequence, whose `nextval` says whether a statement ran."""

from __future__ import annotations

from pathlib import Path

from nearshore.data.query.duckdb import DuckDBEngine
from nearshore.data.query.engine import Remembering, remembered
from nearshore.data.store import Store

NEXT = "SELECT nextval('counter') AS n"


def test_a_repeated_statement_runs_once_in_the_block_and_again_after_it(tmp_path: Path) -> None:
    with Store(tmp_path / "store.duckdb") as store:
        store.con.execute("CREATE SEQUENCE counter START 1")
        with remembered(store):
            first, again = store.engine.execute(NEXT), store.engine.execute(NEXT)
            other = store.engine.execute(NEXT + ", 2 AS two")  # another statement runs
        after = store.engine.execute(NEXT)
    assert (first.scalar(), again.scalar(), other.scalar(), after.scalar()) == (1, 1, 2, 3)
    assert again.columns == ("n",)
    assert again.sql == NEXT
    assert isinstance(store.engine, DuckDBEngine)


def test_each_answer_has_its_own_rows(tmp_path: Path) -> None:
    with Store(tmp_path / "store.duckdb") as store, remembered(store):
        first = store.engine.execute("SELECT * FROM range(3)")
        first.rows.reverse()
        first.rows.append((99,))
        assert store.engine.execute("SELECT * FROM range(3)").rows == [(0,), (1,), (2,)]


def test_spellings_are_the_engines_own_and_a_nested_block_keeps_the_outer_memory(tmp_path: Path) -> None:
    with Store(tmp_path / "store.duckdb") as store:
        inner = store.engine
        store.con.execute("CREATE SEQUENCE counter START 1")
        with remembered(store):
            engine = store.engine
            assert isinstance(engine, Remembering)
            assert engine.name == "duckdb"
            assert engine.relation("trade_flows", ("source",), "2025-06") == inner.relation(
                "trade_flows", ("source",), "2025-06"
            )
            assert engine.literal("it's") == "'it''s'"
            assert engine.starts_with("c", "87") == "starts_with(c, '87')"
            assert engine.sorted_distinct("x", "y > 1") == inner.sorted_distinct("x", "y > 1")
            assert engine.execute(NEXT).scalar() == 1
            with remembered(store):
                assert store.engine is engine
                assert engine.execute(NEXT).scalar() == 1
            assert store.engine is engine
            assert engine.execute(NEXT).scalar() == 1
        assert store.engine is inner
        assert inner.execute(NEXT).scalar() == 2
