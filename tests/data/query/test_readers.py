"""The trade readers on a hand-built store, with figures worked by hand: 12 months of imports from MEX in 2024
($1 each, vintage 2025-01), revised for March to $5 (vintage 2025-06); 3 months from CAN ($2 each)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from nearshore.data import query
from nearshore.data.batch import Batch
from nearshore.data.query import Scope, When
from nearshore.data.store import Store
from nearshore.errors import InputError, StoreError

SCOPE = Scope.for_flow("imports")


def _batch(rows: list[tuple[str, int, float]], vintage: str) -> Batch:
    columns: dict[str, list[object]] = {
        "reporter": [],
        "partner": [],
        "partner_code": [],
        "partner_name": [],
        "partner_kind": [],
        "flow": [],
        "basis": [],
        "year": [],
        "month": [],
        "classification": [],
        "commodity": [],
        "level": [],
        "value_usd": [],
        "duty_usd": [],
        "quantity": [],
        "unit": [],
        "program": [],
    }
    for partner, month, value in rows:
        row = ("USA", partner, partner, partner, "country", "imports", "general", 2024, month, "TOTAL", "", 0)
        for name, cell in zip(columns, (*row, value, None, None, None, "ALL"), strict=True):
            columns[name].append(cell)
    return Batch.from_columns(
        source="test", target="trade_flows", origin=vintage, checksum="-", vintage=vintage, columns=columns
    )


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with Store() as s:
        s.load(_batch([("MEX", m, 1.0) for m in range(1, 13)] + [("CAN", m, 2.0) for m in (1, 2, 3)], "2025-01"))
        s.load(_batch([("MEX", 3, 5.0)], "2025-06"))
        yield s


def test_yearly_sums_twelve_months_and_skips_incomplete_years(store: Store) -> None:
    # the scope holds all 12 months of 2024, so a partner without rows in a month had nothing that month
    rows = {r[0]: r[2] for r in query.yearly(store, SCOPE, ("partner",)).rows}
    assert rows == {"MEX": 16.0, "CAN": 6.0}
    # a scope with only 3 months of the year gives no annual figure
    assert query.yearly(store, SCOPE.with_partners("CAN"), ("partner",)).rows == []
    as_before = {r[0]: r[2] for r in query.yearly(store, SCOPE, ("partner",), as_of="2025-01").rows}
    assert as_before == {"MEX": 12.0, "CAN": 6.0}


def test_monthly_span_and_extent(store: Store) -> None:
    march = query.monthly(store, SCOPE.with_partners("MEX"), (), 2024, 3)
    assert march.rows == [(2024, 3, 5.0, None)]
    assert query.monthly(store, SCOPE.with_partners("MEX"), (), 2024, 3, as_of="2025-05").rows[0][2] == 1.0
    assert query.span(store, SCOPE, (2024, 2), (2024, 4)).rows == [(5.0 + 1 + 1 + 2 + 2, None, 3)]
    held = query.extent(store, SCOPE.with_partners("CAN"))
    assert (held.first_year, held.last_year, held.last_month, held.rows) == (2024, 2024, (2024, 3), 3)
    assert query.latest_month(store, SCOPE.with_partners("CAN"), 2024) == 3
    assert query.latest_month(store, SCOPE.with_partners("CAN"), 2023) is None
    assert query.partners(store, SCOPE) == ["CAN", "MEX"]
    assert query.partners(store, SCOPE, limit=1) == ["CAN"]


def test_vintages_per_period(store: Store) -> None:
    found = {(r[0], r[1]): r[2] for r in query.vintages(store, SCOPE.with_partners("MEX"), 2024).rows}
    assert found[(2024, 3)] == "2025-06"
    assert found[(2024, 4)] == "2025-01"


def test_when_selects_the_periods() -> None:
    assert When.year(2024, 3).month == 3
    assert When.span((2024, 11), (2025, 2)).monthly


def test_closed_lists_and_checked_inputs(store: Store) -> None:
    with pytest.raises(InputError, match=r"^unknown dimension \['hs3'\]; allowed: partner, commodity, month, hs2"):
        query.yearly(store, SCOPE, ("hs3",))
    with pytest.raises(InputError, match=r"^commodity prefixes are HS digits, not \[\"87' OR 1=1\"\]"):
        Scope(flow="imports", basis="general", commodities=("87' OR 1=1",))
    with pytest.raises(StoreError, match=r"^unknown table 'flows'; tables: trade_flows, program_shares"):
        query.table(store, "flows")
    with pytest.raises(InputError, match=r"^vintage '2025-13' is not a date"):
        query.yearly(store, SCOPE, (), as_of="2025-13")


def test_quotes_in_values_stay_inside_literals(store: Store) -> None:
    odd = Scope(flow="imports", basis="general", partners=("O'Brien",))
    assert query.monthly(store, odd).rows == []
    assert "'O''Brien'" in query.monthly(store, odd).sql
