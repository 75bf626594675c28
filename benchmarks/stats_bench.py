"""Benchmark: the whole `stats` suite against a baseline of equivalent hand-written DuckDB SQL, in the same run.

Two stores:
  1. real data: the embedded snapshot when the package ships one, otherwise the official raw files
     (census-country both files, DataWeb HTS10 and Census duties rows via the tests' stand-in loader);
  2. synthetic: a temporary store file with ROWS HTS10 rows (HS10 x partner x district-like x month,
     2024-2025, program ALL plus USMCA-claimed rows for CAN/MEX) and partner totals, generated in DuckDB SQL;
     the codes cover every HS chapter, skewed like trade (benchmarks/synthetic.py).

For each it prints the wall time of the suite (every analytics function once), the wall time of raw SQL
computing the same numbers, and their ratio. Inside the timing: each analytics call (SQL built, run, wrapped) and
each raw query; outside: building the stores. Memory is capped with DuckDB's memory_limit (800MB, stated).

    python benchmarks/stats_bench.py                 # 30M synthetic rows
    python benchmarks/stats_bench.py --rows 3000000  # quicker
    python benchmarks/stats_bench.py --skip-real
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import hs10_sql  # noqa: E402
from nearshore import analytics as a  # noqa: E402
from nearshore.data.store import Store  # noqa: E402

PARTNERS = ("CAN", "MEX", "CHN", "DEU", "JPN", "KOR", "VNM", "TWN", "IND", "GBR")
DISTRICTS = 25
MONTHS = 24  # 2024-01 .. 2025-12
MEMORY_LIMIT = "800MB"


def suite(store: Store) -> list[Callable[[], object]]:
    """Every analytics function once, on figures both stores hold (2025, Mexico / Canada)."""
    return [
        lambda: a.share(store, "MEX", flow="imports", year=2025),
        lambda: a.share(store, "MEX", flow="imports"),
        lambda: a.top(store, flow="imports", year=2025, n=10),
        lambda: a.growth(store, "MEX", kind="yoy", year=2025),
        lambda: a.growth(store, "CAN", kind="ytd", year=2025, month=6),
        lambda: a.balance(store, "MEX", year=2025),
        lambda: a.duty_rate(store, "MEX", year=2025),
        lambda: a.composition(store, "MEX", year=2025, by="sector"),
        lambda: a.composition(store, "MEX", year=2025, by="chapter"),
        lambda: a.concentration(store, "MEX", year=2025, level=6, n=10),
        lambda: a.utilisation(store, "MEX", year=2025),
        lambda: a.utilisation(store, "MEX", year=2025, by="month"),
        lambda: a.utilisation(store, "CAN", year=2025, by="chapter"),
        lambda: a.utilisation(store, "CAN", year=2025, by="sector"),
        lambda: a.unclaimed(store, "MEX", year=2025, n=10),
        lambda: a.event_window(store, "ieepa-ca-mx-effective", partners=("CAN", "MEX"), flow="total"),
    ]


def raw_sql() -> list[str]:
    """The same numbers as `suite`, written directly (one aggregate query each, no provenance)."""
    cur = "(SELECT * FROM trade_flows WHERE superseded_by IS NULL)"
    tot = f"{cur} WHERE classification = 'TOTAL' AND program = 'ALL'"
    gen = f"{tot} AND flow = 'imports' AND basis = 'general'"
    kinds = "partner_kind IN ('country', 'other', 'world')"
    share = "sum(value_usd) FILTER (WHERE program = 'USMCA') / sum(value_usd) FILTER (WHERE program = 'ALL')"
    hs = f"{cur} WHERE classification = 'HS' AND flow = 'imports' AND basis = 'consumption'"
    sectors = ["(" + " OR ".join(f"commodity LIKE '{p}%'" for p in s.hs) + ")" for s in a.all_sectors()]
    return [
        f"SELECT partner, year, sum(value_usd) FROM {gen} AND {kinds} AND year = 2025 "
        "AND month IS NOT NULL GROUP BY ALL",
        f"SELECT partner, year, sum(value_usd) FROM {gen} AND {kinds} AND month IS NOT NULL GROUP BY ALL",
        f"SELECT year, partner, v, rank() OVER (PARTITION BY year ORDER BY v DESC) FROM (SELECT year, "
        f"partner, sum(value_usd) v FROM {gen} AND partner_kind = 'country' "
        "AND year IN (2024, 2025) AND month IS NOT NULL GROUP BY ALL)",
        f"SELECT year, sum(value_usd) FROM {gen} AND partner = 'MEX' "
        "AND year IN (2024, 2025) AND month IS NOT NULL GROUP BY year",
        f"SELECT year, sum(value_usd) FROM {gen} AND partner = 'CAN' "
        "AND year IN (2024, 2025) AND month BETWEEN 1 AND 6 GROUP BY year",
        f"SELECT flow, sum(value_usd) FROM {tot} AND basis IN ('general', 'total') AND partner = 'MEX' "
        "AND year = 2025 AND month IS NOT NULL GROUP BY flow",
        f"SELECT sum(duty_usd) / sum(value_usd) FROM {tot} AND basis = 'consumption' AND partner = 'MEX' "
        "AND year = 2025 AND duty_usd IS NOT NULL",
        *[
            f"SELECT sum(value_usd) FROM {hs} AND program = 'ALL' AND partner = 'MEX' AND year = 2025 AND {w}"
            for w in sectors
        ],
        f"SELECT substr(commodity, 1, 2), sum(value_usd) FROM {hs} AND program = 'ALL' AND partner = 'MEX' "
        "AND year = 2025 GROUP BY 1",
        f"SELECT substr(commodity, 1, 6) p, sum(value_usd) v FROM {hs} AND program = 'ALL' "
        "AND partner = 'MEX' AND year = 2025 GROUP BY 1 ORDER BY v DESC",
        f"SELECT {share} FROM {hs} AND partner = 'MEX' AND year = 2025",
        f"SELECT month, sum(value_usd) FILTER (WHERE program = 'USMCA') / sum(value_usd) FILTER "
        f"(WHERE program = 'ALL') FROM {hs} AND partner = 'MEX' AND year = 2025 GROUP BY month",
        f"SELECT substr(commodity, 1, 2), sum(value_usd) FILTER (WHERE program = 'USMCA') / sum(value_usd) "
        f"FILTER (WHERE program = 'ALL') FROM {hs} AND partner = 'CAN' AND year = 2025 GROUP BY 1",
        *[
            f"SELECT sum(value_usd) FILTER (WHERE program = 'USMCA') / sum(value_usd) FILTER "
            f"(WHERE program = 'ALL') FROM {hs} AND partner = 'CAN' AND year = 2025 AND {w}"
            for w in sectors
        ],
        f"SELECT commodity, sum(value_usd) FILTER (WHERE program = 'ALL') - coalesce(sum(value_usd) FILTER "
        f"(WHERE program = 'USMCA'), 0) u FROM {hs} AND partner = 'MEX' AND year = 2025 GROUP BY 1 "
        "ORDER BY u DESC LIMIT 10",
        f"SELECT partner, year, sum(value_usd) FROM {tot} AND basis IN ('general', 'total') "
        "AND partner IN ('CAN', 'MEX') AND month BETWEEN 3 AND 12 AND year IN (2024, 2025) GROUP BY ALL",
    ]


def timed(label: str, steps: list[Callable[[], object]], repeat: int = 3) -> float:
    """The best of `repeat` runs of all steps (the machine is shared: the minimum is the least noisy)."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for step in steps:
            step()
        runs.append(time.perf_counter() - start)
    print(f"  {label:<34} {min(runs):8.3f} s (best of {repeat})")
    return min(runs)


def compare(store: Store, name: str) -> None:
    print(f"{name}: {store.query('SELECT count(*) FROM trade_flows').scalar():,} trade_flows rows")
    queries = raw_sql()
    sql_steps: list[Callable[[], object]] = [functools.partial(store.query, sql) for sql in queries]
    # One untimed pass of each warms DuckDB's caches for both sides alike.
    for step in (*suite(store), *sql_steps):
        step()
    ours = timed(f"stats suite ({len(suite(store))} calls)", suite(store))
    base = timed(f"raw DuckDB SQL ({len(queries)} queries)", sql_steps)
    print(f"  {'ratio suite / raw SQL':<34} {ours / base:8.2f}x")


def real_store(directory: Path) -> Store:
    from nearshore.data.snapshot import read_manifest, seed_from_snapshot

    store = Store(directory / "real.duckdb")
    store.con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    if read_manifest() is not None:
        seed_from_snapshot(store)
        print("real data: the embedded snapshot")
        return store
    from nearshore.data.sources import census_country
    from tests.analytics.conftest import NEW_FILE, OLD_FILE, load_stand_in_rows
    from tests.conftest import SHARED_RAW

    print(f"real data: no embedded snapshot in this build; loading the official files from {SHARED_RAW}")
    census_country.load(store, SHARED_RAW / "census_country_trade" / OLD_FILE, vintage="2022-03")
    census_country.load(store, SHARED_RAW / "census_country_trade" / NEW_FILE, vintage="2026-07")
    load_stand_in_rows(store, SHARED_RAW)
    return store


def synthetic_store(directory: Path, rows: int) -> Store:
    """A store file with about `rows` HTS10 rows plus partner totals, generated in DuckDB."""
    store = Store(directory / "synthetic.duckdb")
    store.con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    store.con.execute("SET preserve_insertion_order = false")
    n_hs = max(1, rows // (len(PARTNERS) * DISTRICTS * MONTHS))
    partners = ", ".join(f"('{p}', {i})" for i, p in enumerate(PARTNERS))
    start = time.perf_counter()
    store.con.execute(
        "INSERT INTO loads VALUES (1, 'synthetic', 'trade_flows', 'stats_bench', '', "
        "'2026-01', now()::TIMESTAMP, 0, 0, 0, '')"
    )
    store.con.execute(f"""
        INSERT INTO trade_flows BY NAME
        WITH hs AS (SELECT range AS h,
                           {hs10_sql("range")} AS code
                    FROM range({n_hs})),
             p(partner, pi) AS (VALUES {partners}),
             d AS (SELECT range AS district FROM range({DISTRICTS})),
             m AS (SELECT range AS mi FROM range({MONTHS}))
        SELECT 'USA' AS reporter, partner, partner AS partner_code, partner AS partner_name,
               'country' AS partner_kind, 'imports' AS flow, 'consumption' AS basis, 'D' || district AS district,
               (2024 + mi // 12)::SMALLINT AS year, (mi % 12 + 1)::TINYINT AS month, 'HS' AS classification,
               code AS commodity, 10 AS level, ((hash(h, pi, district, mi) % 100000) + 1)::DOUBLE AS value_usd,
               'ALL' AS program, 'synthetic' AS source, '2026-01' AS vintage, 1 AS load_id
        FROM hs, p, d, m
    """)
    # USMCA-claimed rows for Canada and Mexico: 60 % of the value in even districts (stored separately).
    store.con.execute("""
        INSERT INTO trade_flows BY NAME
        SELECT * REPLACE (value_usd * 0.6 AS value_usd, 'USMCA' AS program)
        FROM trade_flows WHERE partner IN ('CAN', 'MEX') AND program = 'ALL' AND hash(district) % 2 = 0
    """)
    # Partner totals (general imports, total exports, consumption imports with duties) per month.
    store.con.execute("""
        INSERT INTO trade_flows BY NAME
        WITH t AS (SELECT partner, year, month, sum(value_usd) AS v FROM trade_flows
                   WHERE program = 'ALL' GROUP BY ALL)
        SELECT 'USA' AS reporter, partner, partner AS partner_code, partner AS partner_name,
               'country' AS partner_kind, f.flow, f.basis, year, month, 'TOTAL' AS classification,
               '' AS commodity, 0 AS level, v * f.factor AS value_usd,
               CASE WHEN f.basis = 'consumption' THEN v * 0.03 END AS duty_usd, 'ALL' AS program,
               'synthetic' AS source, '2026-01' AS vintage, 1 AS load_id
        FROM t, (VALUES ('imports', 'general', 1.01), ('exports', 'total', 0.7),
                        ('imports', 'consumption', 1.0)) f(flow, basis, factor)
    """)
    print(
        f"synthetic store built in {time.perf_counter() - start:.1f} s ({n_hs:,} HS10 codes x "
        f"{len(PARTNERS)} partners x {DISTRICTS} districts x {MONTHS} months)"
    )
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=30_000_000, help="synthetic HTS10 rows (default 30M)")
    parser.add_argument("--skip-real", action="store_true", help="only the synthetic store")
    parser.add_argument("--skip-synthetic", action="store_true", help="only the real-data store")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nearshore-bench-") as tmp:
        if not args.skip_real:
            with real_store(Path(tmp)) as store:
                compare(store, "real data")
        if not args.skip_synthetic:
            with synthetic_store(Path(tmp), args.rows) as store:
                compare(store, "synthetic")


if __name__ == "__main__":
    main()
