"""Store benchmark: load a synthetic HS10 x partner x district x month table, then aggregate it.

Prints wall time and peak RSS of each phase, each in its own process. The query phase times nearshore's query
layer (`nearshore.data.query.yearly`: annual totals per group, as analytics asks for them; inside the timing:
building the SQL, running it, wrapping the rows) against the very SQL it builds run raw on a plain DuckDB
connection to the same store file, in the same run; the ratio is the layer's overhead. Outside the timing:
generating the Parquet file, opening the store. Targets: ratio <= 1.2, peak RSS <= 1 GB.

    python benchmarks/store_bench.py              # 30M rows
    python benchmarks/store_bench.py --rows 3e6   # quicker
"""

from __future__ import annotations

import argparse
import functools
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MEMORY_LIMIT = "700MB"
GROUPINGS = {"year x partner": ("partner",), "year x HS2 x partner": ("hs2", "partner")}


def generate(path: Path, rows: int) -> None:
    import duckdb

    # 24 months x 10 districts x 50 partners x codes = rows
    codes = max(1, rows // (24 * 10 * 50))
    con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT})
    con.execute(f"""
        COPY (
          SELECT 'USA' AS reporter, 'P' || lpad(p::VARCHAR, 2, '0') AS partner,
                 lpad(p::VARCHAR, 4, '0') AS partner_code, 'Partner ' || p AS partner_name,
                 'country' AS partner_kind, 'imports' AS flow, 'consumption' AS basis,
                 'D' || d AS district, (2023 + m // 12)::SMALLINT AS year, (m % 12 + 1)::TINYINT AS month,
                 'HS' AS classification,
                 lpad(((c * 7919) % 97 + 1)::VARCHAR, 2, '0') || lpad(c::VARCHAR, 8, '0') AS commodity,
                 10::TINYINT AS level, (hash(c, p, d, m) % 1000000)::DOUBLE AS value_usd,
                 NULL::DOUBLE AS duty_usd, NULL::DOUBLE AS quantity, NULL::VARCHAR AS unit, 'ALL' AS program
          FROM range({codes}) t1(c), range(50) t2(p), range(10) t3(d), range(24) t4(m)
        ) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)
    """)
    con.close()


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_load(parquet: str, db: str) -> dict[str, float]:
    from nearshore.data.sources import trade_parquet
    from nearshore.data.store import Store

    start = time.perf_counter()
    with Store(db, memory_limit=MEMORY_LIMIT) as store:
        report = trade_parquet.load(store, Path(parquet), vintage="2025-01")
    return {"seconds": time.perf_counter() - start, "rows": report.rows, "peak_rss_mb": _peak_rss_mb()}


def _best(func: Callable[[], object], repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def _fetch_all(connection: Any, sql: str) -> list[Any]:
    """The same SQL on a plain DuckDB connection, every row fetched."""
    rows: list[Any] = connection.execute(sql).fetchall()
    return rows


def phase_query(parquet: str, db: str) -> dict[str, object]:
    import duckdb

    from nearshore.data import query
    from nearshore.data.query import Scope
    from nearshore.data.store import Store

    scope = Scope(flow="imports", basis="consumption", classification="HS")
    out: dict[str, object] = {}
    with Store(db, read_only=True, memory_limit=MEMORY_LIMIT) as store:
        for name, dims in GROUPINGS.items():
            raw = duckdb.connect(db, read_only=True, config={"memory_limit": MEMORY_LIMIT})
            result = query.yearly(store, scope, dims)  # untimed: warms DuckDB for both sides alike
            raw.execute(result.sql).fetchall()
            out[f"rows {name}"] = len(result)
            out[f"nearshore {name}"] = _best(functools.partial(query.yearly, store, scope, dims))
            out[f"raw duckdb {name}"] = _best(functools.partial(_fetch_all, raw, result.sql))
            raw.close()
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def _run(phase: str, parquet: Path, db: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--phase", phase, str(parquet), str(db)], check=True, capture_output=True, text=True
    )
    figures: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=float, default=30e6)
    parser.add_argument("--phase", choices=["load", "query"])
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    if args.phase:
        result = (phase_load if args.phase == "load" else phase_query)(*args.paths)
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as tmp:
        parquet, db = Path(tmp) / "synthetic.parquet", Path(tmp) / "bench.duckdb"
        start = time.perf_counter()
        generate(parquet, int(args.rows))
        print(f"generated {parquet.stat().st_size / 1e6:.0f} MB Parquet in {time.perf_counter() - start:.1f} s")
        load = _run("load", parquet, db)
        print(
            f"load: {load['rows']:,} rows in {load['seconds']:.1f} s "
            f"({load['rows'] / load['seconds']:,.0f} rows/s), peak RSS {load['peak_rss_mb']:.0f} MB"
        )
        query = _run("query", parquet, db)
        for name in GROUPINGS:
            ours, raw = query[f"nearshore {name}"], query[f"raw duckdb {name}"]
            assert isinstance(ours, float)
            assert isinstance(raw, float)
            print(
                f"yearly totals by {name} ({query[f'rows {name}']:,} rows out): nearshore query layer {ours:.3f} s, "
                f"the same SQL raw on DuckDB {raw:.3f} s, ratio {ours / raw:.2f} (target <= 1.2; best of 3 each)"
            )
        print(f"query phase peak RSS {query['peak_rss_mb']:.0f} MB (target <= 1024)")


if __name__ == "__main__":
    main()
