"""Invariants over generated DataWeb monthly files: totals survive the load, and reloading changes nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from nearshore.data.sources import dataweb
from nearshore.data.store import Store

ROW = st.tuples(
    st.integers(min_value=0, max_value=9_999_999_999).map(lambda n: f"{n:010d}"),
    st.sampled_from(["1220", "2010"]),
    st.integers(min_value=0, max_value=10**12),
    st.floats(min_value=0, max_value=1),
)


def _csv(rows: list[tuple[str, str, int, float]]) -> str:
    lines = ["hts10,cty_code,usmca_share,total_value,usmca_value"]
    seen = set()
    for hts, code, total, fraction in rows:
        if (hts, code) in seen:
            continue
        seen.add((hts, code))
        claimed = round(total * fraction)
        share = claimed / total if total else 0
        lines.append(f"{hts},{code},{share!r},{total},{claimed}")
    return "\n".join(lines) + "\n"


@settings(max_examples=25, deadline=None)
@given(st.lists(ROW, min_size=1, max_size=30))
def test_totals_survive_and_reload_is_idempotent(rows: list[tuple[str, str, int, float]]) -> None:
    text = _csv(rows)
    expected = sum(int(line.split(",")[3]) for line in text.splitlines()[1:])
    with tempfile.TemporaryDirectory() as folder, Store(":memory:") as store:
        path = Path(folder) / "usmca_product_shares_2025_05.csv"
        path.write_text(text)
        if expected == 0:
            return  # an all-zero file is refused (no data rows), tested elsewhere
        dataweb.load(store, path, vintage="2025-07")
        first = store.query("SELECT * EXCLUDE (load_id) FROM trade_flows ORDER BY ALL").rows
        dataweb.load(store, path, vintage="2025-07")
        second = store.query("SELECT * EXCLUDE (load_id) FROM trade_flows ORDER BY ALL").rows
        assert first == second
        total = store.query("SELECT sum(value_usd) FROM trade_flows WHERE program = 'ALL'").scalar()
        assert total == expected
        claimed, all_ = store.query(
            "SELECT sum(value_usd) FILTER (program = 'USMCA'), sum(value_usd) FILTER (program = 'ALL') FROM trade_flows"
        ).rows[0]
        assert claimed <= all_
