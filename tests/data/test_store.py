"""The store: reload idempotence, vintage supersession, as_of, and atomicity under kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nearshore.data.batch import Batch
from nearshore.data.store import Store
from nearshore.errors import InputError, StoreError

ROOT = Path(__file__).resolve().parents[2]


def _batch(values: dict[tuple[str, int], float], vintage: str, source: str = "test") -> Batch:
    keys = sorted(values)
    n = len(keys)
    return Batch.from_columns(
        source=source,
        target="trade_flows",
        origin="memory",
        checksum="sha256:0",
        vintage=vintage,
        columns={
            "reporter": ["USA"] * n,
            "partner": [k[0] for k in keys],
            "partner_code": [k[0] for k in keys],
            "partner_name": [k[0] for k in keys],
            "partner_kind": ["country"] * n,
            "flow": ["imports"] * n,
            "basis": ["general"] * n,
            "year": [2024] * n,
            "month": [k[1] for k in keys],
            "classification": ["TOTAL"] * n,
            "commodity": [""] * n,
            "level": [0] * n,
            "value_usd": [values[k] for k in keys],
            "duty_usd": [None] * n,
            "quantity": [None] * n,
            "unit": [None] * n,
            "program": ["ALL"] * n,
        },
    )


def _current(store: Store, as_of: str | None = None) -> dict[tuple[str, int], float]:
    rel = store.relation("trade_flows", as_of)
    return {(p, m): v for p, m, v in store.query(f"SELECT partner, month, value_usd FROM {rel}").rows}


def test_reload_same_vintage_replaces(store: Store) -> None:
    first = store.load(_batch({("MEX", 1): 1.0, ("CAN", 1): 2.0}, "2025-01"))
    again = store.load(_batch({("MEX", 1): 1.5, ("CAN", 1): 2.0}, "2025-01"))
    assert (first.replaced, again.replaced) == (0, 2)
    assert store.query("SELECT count(*) FROM trade_flows").scalar() == 2
    assert _current(store) == {("MEX", 1): 1.5, ("CAN", 1): 2.0}
    # the replaced load is gone from the provenance table; the new one is there
    assert [r[0] for r in store.loads().rows] == [again.load_id]


def test_newer_vintage_supersedes_and_older_stays_queryable(store: Store) -> None:
    store.load(_batch({("MEX", 1): 1.0, ("MEX", 2): 1.1}, "2025-03"))
    newer = store.load(_batch({("MEX", 1): 1.2}, "2025-06"))
    assert newer.superseded == 1
    assert _current(store) == {("MEX", 1): 1.2, ("MEX", 2): 1.1}
    assert _current(store, as_of="2025-04") == {("MEX", 1): 1.0, ("MEX", 2): 1.1}
    assert _current(store, as_of="2025-06-30") == {("MEX", 1): 1.2, ("MEX", 2): 1.1}


def test_older_vintage_loaded_late_does_not_win(store: Store) -> None:
    store.load(_batch({("MEX", 1): 1.2}, "2025-06"))
    late = store.load(_batch({("MEX", 1): 1.0}, "2025-03"))
    assert late.superseded == 0
    assert _current(store) == {("MEX", 1): 1.2}
    assert _current(store, as_of="2025-03") == {("MEX", 1): 1.0}


def test_store_in_a_folder_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the store's folder should be")
    path = blocker / "store.duckdb"
    with pytest.raises(StoreError) as caught:
        Store(path)
    assert str(caught.value) == (
        f"cannot create the folder of the store {path}: File exists; point NEARSHORE_DB (or NEARSHORE_DATA_DIR) "
        "at a place you can write to"
    )


def test_bad_vintage_is_refused() -> None:
    with pytest.raises(InputError, match=r"vintage 'July 2026' is not a date: write it as YYYY-MM"):
        _batch({("MEX", 1): 1.0}, "July 2026")


@pytest.mark.parametrize("vintage", ["2026-13", "2026-00", "2025-02-30"])
def test_vintage_that_is_no_calendar_date_is_refused(vintage: str) -> None:
    # '2026-13' has the YYYY-MM shape but would sort after every real 2026 release and supersede it
    message = (
        f"vintage '{vintage}' is not a date: write it as YYYY-MM or YYYY-MM-DD "
        "(the release month of the data, e.g. 2026-07)"
    )
    with pytest.raises(InputError) as caught:
        _batch({("MEX", 1): 1.0}, vintage)
    assert str(caught.value) == message


values_strategy = st.dictionaries(
    st.tuples(st.sampled_from(["MEX", "CAN", "CHN"]), st.integers(1, 12)),
    st.floats(0, 1e12, allow_nan=False),
    min_size=1,
    max_size=20,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=values_strategy, repeats=st.integers(1, 3))
def test_reload_is_idempotent(values: dict[tuple[str, int], float], repeats: int) -> None:
    with Store() as store:
        for _ in range(repeats):
            store.load(_batch(values, "2025-01"))
        assert _current(store) == values
        assert store.query("SELECT count(*) FROM trade_flows").scalar() == len(values)


_CHILD = textwrap.dedent(
    """
    import sys, time
    from nearshore.data.store import Store
    from nearshore.data.sources import census_country

    def stall(con):
        print("inside", flush=True)
        time.sleep(120)

    store = Store(sys.argv[1])
    Store._drop_empty_loads = staticmethod(stall)
    census_country.load(store, __import__("pathlib").Path(sys.argv[2]), vintage="2026-07")
    """
)


@pytest.mark.shared
def test_kill_9_during_a_load_leaves_the_store_unchanged(raw_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    with Store(db) as store:
        store.load(_batch({("MEX", 1): 1.0}, "2025-01"))
        before = store.query("SELECT * FROM trade_flows ORDER BY ALL").rows
        loads_before = store.loads().rows
    source = raw_dir / "census_country_trade" / "census_country_all_partners_2022_2025.csv"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(db), str(source)], stdout=subprocess.PIPE, env=env, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "inside"  # all rows inserted, transaction not committed
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    with Store(db) as store:
        assert store.query("SELECT * FROM trade_flows ORDER BY ALL").rows == before
        assert store.loads().rows == loads_before
