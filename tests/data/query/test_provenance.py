"""A figure's provenance is re-runnable: every statement in `provenance.query` runs as is on a plain DuckDB
connection to the store file (no nearshore code), and gives back the figure's own number."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from nearshore import analytics as a
from nearshore.analytics import FigureTable
from nearshore.data.query import Scope, When, provenance
from nearshore.data.store import Store


@pytest.fixture(scope="module")
def raw(snapshot_db: Path, snapshot: Store) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(snapshot_db), read_only=True)
    yield con
    con.close()


def _statements(query: str) -> list[str]:
    return [s for s in query.split(";\n") if s.strip()]


@pytest.mark.parametrize(
    "make",
    [
        lambda s: a.share(s, "MEX", year=2024),
        lambda s: a.share(s, "CAN", year=2021, as_of="2022-03"),
        lambda s: a.growth(s, "MEX", kind="ytd", year=2025, month=6),
        lambda s: a.duty_rate(s, "MEX", year=2025),
        lambda s: a.concentration(s, "CAN", year=2025, month=2, level=4, sector="automotive"),
        lambda s: a.utilisation(s, "MEX", year=2025, by="chapter"),
        lambda s: a.unclaimed(s, "CAN", year=2025, n=3),
        lambda s: a.event_window(s, "ieepa-ca-mx-effective"),
    ],
)
def test_every_provenance_statement_runs_raw(
    snapshot: Store, raw: duckdb.DuckDBPyConnection, make: Callable[[Store], FigureTable]
) -> None:
    table = make(snapshot)
    statements = _statements(table.provenance.query)
    answers = [raw.execute(sql).fetchall() for sql in statements]  # each runs as is
    assert any(answers)  # (a world-total lookup may rightly find no World row)


def test_a_share_is_reproduced_from_its_query(snapshot: Store, raw: duckdb.DuckDBPyConnection) -> None:
    fig = a.share(snapshot, "MEX", year=2024).figure("value", partner="MEX")
    countries = _statements(fig.provenance.query)[0]  # partner, year, value, duty per country
    got = {r[0]: r[2] for r in raw.execute(countries).fetchall()}
    assert got["MEX"] == fig.value


def test_a_ytd_total_is_reproduced_from_its_query(snapshot: Store, raw: duckdb.DuckDBPyConnection) -> None:
    table = a.growth(snapshot, "CAN", kind="ytd", year=2025, month=4)
    now = table.figure("value")
    (value, _duty, months), *_ = raw.execute(_statements(now.provenance.query)[0]).fetchall()
    assert (value, months) == (now.value, 4)


def test_utilisation_is_reproduced_from_its_query(snapshot: Store, raw: duckdb.DuckDBPyConnection) -> None:
    fig = a.utilisation(snapshot, "MEX", year=2025).figure("share")
    (total, claimed, months), *_ = raw.execute(_statements(fig.provenance.query)[0]).fetchall()
    assert months == 12
    assert 100.0 * claimed / total == pytest.approx(fig.value, rel=1e-12)


def test_provenance_names_the_sources_and_vintages_of_the_periods_asked(snapshot: Store) -> None:
    scope = Scope.for_flow("imports", partners=("MEX",))
    every = provenance(snapshot, scope, None, "q")
    assert every.vintages == ("2022-03", "2026-07")  # 1985-2021 from the 2022 release, 2022-2025 from 2026's
    recent = provenance(snapshot, scope, None, "q", "a note", when=When.year(2024))
    assert (recent.sources, recent.vintages, recent.query, recent.notes) == (
        ("census-country",),
        ("2026-07",),
        "q",
        ("a note",),
    )
    assert provenance(snapshot, scope, "2022-03", "q", when=When.year(2021)).vintages == ("2022-03",)
