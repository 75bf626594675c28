"""Scale benchmark (issue 16): one aggregation of a synthetic trade panel on DuckDB and on Spark local[N].

The panel is HS10 x partner x district x month, generated to Parquet on disk (files of 5M rows): the HS10 codes
are the real statistical lines of the packaged HTS schedule (every chapter), and both codes and partners are
drawn with Zipf-like weights (a few lines and partners carry most rows, as in real trade); values are lognormal.
The aggregation is what `stats` and a gravity panel need: value and row count by partner x year x HS2.

Each engine runs in its own process; the parent samples the RSS of that process and all its children (the JVM
for Spark) every 0.1 s and reports the peak. Inside the timing: reading the Parquet files, the aggregation and
collecting the result (~25k rows) to Python. Outside: generating the data, and for Spark the session start
(JVM launch), which is reported on its own line. DuckDB is the baseline; the ratio is Spark / DuckDB. The two
results are checked equal (sums to 1e-9 relative).

    python -m benchmarks.scale_bench                      # 100M rows (about 1 GB of Parquet)
    python -m benchmarks.scale_bench --rows 10e6          # quicker
    python -m benchmarks.scale_bench --rows 100e6 --keep /tmp/panel   # keep (or reuse) the generated files
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHUNK = 5_000_000
YEARS = (2019, 2020, 2021, 2022, 2023, 2024, 2025)
SQL = (
    "SELECT partner, year, substr(commodity, 1, 2) AS hs2, sum(value_usd) AS value, count(*) AS n "
    "FROM panel GROUP BY partner, year, substr(commodity, 1, 2)"
)


def _zipf(n: int, exponent: float, rng: Any) -> Any:
    import numpy as np

    weights = 1.0 / np.arange(1, n + 1) ** exponent
    weights = weights[rng.permutation(n)]  # the heavy ranks land on random codes, not on chapter 01
    return weights / weights.sum()


def generate(folder: Path, rows: int, seed: int = 16) -> None:
    """Write `rows` synthetic rows as Parquet files of CHUNK rows into `folder`."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from nearshore.data.reference.countries import census_table
    from nearshore.data.snapshot import snapshot_dir

    rng = np.random.default_rng(seed)
    hts = pq.read_table(snapshot_dir() / "hts_schedule.parquet", columns=["code"]).column("code").to_pylist()
    codes = pa.array(sorted({c for c in hts if len(c) == 10}))
    partners = pa.array(sorted({p.id for p in census_table().values() if p.kind == "country"}))
    districts = pa.array([f"{d:02d}" for d in range(1, 46)])
    p_code, p_partner, p_district = _zipf(len(codes), 1.1, rng), _zipf(len(partners), 1.3, rng), _zipf(45, 1.0, rng)
    folder.mkdir(parents=True, exist_ok=True)
    for index, start in enumerate(range(0, rows, CHUNK)):
        n = min(CHUNK, rows - start)

        def pick(values: Any, p: Any, n: int = n) -> Any:
            return pa.DictionaryArray.from_arrays(pa.array(rng.choice(len(values), n, p=p).astype(np.int32)), values)

        table = pa.table(
            {
                "commodity": pick(codes, p_code),
                "partner": pick(partners, p_partner),
                "district": pick(districts, p_district),
                "year": pa.array(rng.choice(np.array(YEARS, dtype=np.int16), n)),
                "month": pa.array(rng.integers(1, 13, n, dtype=np.int8)),
                "value_usd": pa.array(np.round(rng.lognormal(10.0, 2.5, n), 0)),
            }
        )
        pq.write_table(table, folder / f"part-{index:05d}.parquet", compression="zstd", row_group_size=1_000_000)


def run_duckdb(folder: str, threads: int) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect(config={"threads": threads})
    con.execute(f"CREATE VIEW panel AS SELECT * FROM read_parquet('{folder}/*.parquet')")
    start = time.perf_counter()
    rows = con.execute(SQL).fetchall()
    return {"seconds": time.perf_counter() - start, "rows": rows}


def run_spark(folder: str, threads: int) -> dict[str, Any]:
    from nearshore.data.spark.session import spark_session
    from nearshore.settings import Settings

    start = time.perf_counter()
    spark = spark_session(Settings.load(spark_master=f"local[{threads}]", spark_driver_memory="4g"))
    session = time.perf_counter() - start
    start = time.perf_counter()
    spark.read.parquet(f"file://{folder}").createOrReplaceTempView("panel")
    rows = [tuple(r.values()) for r in spark.sql(SQL).toArrow().to_pylist()]
    seconds = time.perf_counter() - start
    spark.stop()
    return {"seconds": seconds, "session_seconds": session, "rows": rows}


def _tree_rss(pid: int) -> int:
    """Resident bytes of `pid` and every descendant (read from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                parents.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(parents.get(current, []))
        try:
            with open(f"/proc/{current}/status") as f:
                total += next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            continue
    return total


def measure(engine: str, folder: Path, threads: int) -> dict[str, Any]:
    """Run one engine in a child process; its result plus the peak RSS of the child's process tree."""
    child = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.scale_bench", "--child", engine, "--threads", str(threads), str(folder)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(child.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = child.communicate()
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"{engine} run failed (exit {child.returncode})")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["peak_rss_mb"] = peak / 2**20
    return result


def _same(a: list[list[Any]], b: list[list[Any]]) -> bool:
    left = {tuple(r[:3]): (r[3], r[4]) for r in a}
    right = {tuple(r[:3]): (r[3], r[4]) for r in b}
    return left.keys() == right.keys() and all(
        left[k][1] == right[k][1] and abs(left[k][0] - right[k][0]) <= 1e-9 * abs(left[k][0]) for k in left
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=float, default=100e6, help="rows to generate (default 100M)")
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads and Spark local[N] (default 2)")
    parser.add_argument("--keep", type=Path, help="folder for the Parquet files, kept (reused if it holds them)")
    parser.add_argument("--child", choices=["duckdb", "spark"], help=argparse.SUPPRESS)
    parser.add_argument("folder", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = (run_duckdb if args.child == "duckdb" else run_spark)(args.folder, args.threads)
        print(json.dumps(result, default=str))
        return
    rows = int(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "panel"
        marker = folder / f"_rows_{rows}"
        if not marker.exists():
            start = time.perf_counter()
            generate(folder, rows)
            marker.touch()
            print(f"generated {rows:,} rows in {time.perf_counter() - start:.0f} s", flush=True)
        size = sum(p.stat().st_size for p in folder.glob("*.parquet"))
        print(f"panel: {rows:,} rows, {size / 2**20:,.0f} MiB of Parquet in {folder}", flush=True)
        duck = measure("duckdb", folder, args.threads)
        spark = measure("spark", folder, args.threads)
    same = _same(duck["rows"], spark["rows"])
    print(f"result: {len(duck['rows']):,} groups (partner x year x HS2); engines agree: {same}")
    print(f"DuckDB ({args.threads} threads):  {duck['seconds']:7.1f} s   peak RSS {duck['peak_rss_mb']:7,.0f} MB")
    print(
        f"Spark local[{args.threads}]:        {spark['seconds']:7.1f} s   peak RSS {spark['peak_rss_mb']:7,.0f} MB"
        f"   (+ {spark['session_seconds']:.1f} s session start, not timed)"
    )
    print(
        f"ratio Spark / DuckDB: time {spark['seconds'] / duck['seconds']:.1f}x, "
        f"peak memory {spark['peak_rss_mb'] / duck['peak_rss_mb']:.1f}x"
    )
    print(
        f"throughput (M rows/s): DuckDB {rows / duck['seconds'] / 1e6:.1f}, Spark {rows / spark['seconds'] / 1e6:.1f}"
    )
    if not same:
        raise SystemExit("the engines disagree: see the rows above")


if __name__ == "__main__":
    main()
