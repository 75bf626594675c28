"""Tariff engine benchmark: the HTS10 x partner panel, and batch duty throughput.

Run from the repository root: python benchmarks/tariff_bench.py [--lines 1000000] [--codes 1000]

1. Panel: every HTS10 line x every partner country (~247) at one date, built and written to Parquet (inside
   the timing: building the rates and writing the file; outside: loading the schedule and the policy).
   Target < 5 s and < 2 GB peak RSS. Baseline, run (not extrapolated): the one-entry engine
   (duty.calculate) on every HTS10 line x the partners of `--baseline-partners` (default the six batch origins;
   `all` runs the whole panel, about 40x longer), against the panel built for exactly those partners, timed
   alike; the two agree on the total rate of every line without a specific duty (checked, printed).
2. Batch: N entry lines (default 1,000,000) drawn from `--codes` HTS10 lines x 6 origins x dates through
   2025, vectorised (batch.duty_vectorised). Target >= 1,000,000 lines/s. Baseline: the per-line loop
   (batch.duty_loop) on 5,000 of the same lines, in the same process.
Needs the official HTS file ($NEARSHORE_SHARED_DIR or ../shared, data/raw/usitc_hts_2025) to load the schedule
into a throwaway store.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nearshore.data.sources import hts  # noqa: E402
from nearshore.data.store import Store  # noqa: E402
from nearshore.errors import NearshoreError  # noqa: E402
from nearshore.tariffs.batch import Entries, duty_loop, duty_vectorised  # noqa: E402
from nearshore.tariffs.duty import Entry, calculate  # noqa: E402
from nearshore.tariffs.panel import build_panel, write_panel  # noqa: E402
from nearshore.tariffs.policy import Policy, load_policy  # noqa: E402
from nearshore.tariffs.schedule import Schedule, load_schedule  # noqa: E402

SHARED = Path(os.environ.get("NEARSHORE_SHARED_DIR") or ROOT.parent / "shared")
HTS_FILE = SHARED / "data" / "raw" / "usitc_hts_2025" / "hts_2025_basic_edition.csv"
ORIGINS = ["MEX", "CAN", "CHN", "VNM", "DEU", "JPN"]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_panel(schedule: Schedule, on: date, baseline_partners: list[str] | None) -> None:
    policy = load_policy()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        panel = build_panel(schedule, policy, on)
        rows = write_panel(panel, str(Path(tmp) / "panel.parquet"))
        seconds = time.perf_counter() - started
        size = (Path(tmp) / "panel.parquet").stat().st_size / 1e6
    print(
        f"panel: {rows:,} rows ({len(panel.codes):,} HTS10 x {len(panel.partners)} partners) at {on} "
        f"in {seconds:.2f} s (target < 5 s), parquet {size:.0f} MB, peak RSS {peak_rss_mb():.0f} MB "
        f"(target < 2048 MB)"
    )
    partners = [p for p in panel.partners if baseline_partners is None or p in baseline_partners]
    started = time.perf_counter()
    sub = build_panel(schedule, policy, on, partners)
    vectorised = time.perf_counter() - started
    started = time.perf_counter()
    totals, failed = _one_entry_panel(sub.codes, partners, schedule, policy, on)
    loop = time.perf_counter() - started
    plain = np.tile(~sub.base_specific, len(partners))
    agree = np.isclose(totals, sub.rates["total"].ravel(), atol=1e-5) | ~plain | np.isnan(totals)
    what = "the whole panel" if baseline_partners is None else f"every HTS10 line x {', '.join(partners)}"
    print(
        f"panel baseline, run on {what} ({sub.rows:,} cells): one-entry engine {loop:.1f} s "
        f"({loop / sub.rows * 1e6:.0f} us/cell, {failed:,} cells refused), the panel for the same partners "
        f"{vectorised:.2f} s (built, not written, as the baseline); ratio {loop / vectorised:.0f}x; "
        f"same total rate on every line without a specific "
        f"duty: {bool(agree.all())} ({int((~agree).sum()):,} differ)"
    )


def _one_entry_panel(
    codes: list[str], partners: list[str], schedule: Schedule, policy: Policy, on: date
) -> tuple[npt.NDArray[np.float64], int]:
    """The total rate of every (partner, line) cell by the one-entry engine, partner-major like the panel;
    NaN where it refuses the entry."""
    totals = np.full(len(codes) * len(partners), np.nan)
    failed = 0
    k = 0
    for partner in partners:
        for code in codes:
            try:
                totals[k] = calculate(Entry(code, partner, 1000.0, on, quantity=1.0), schedule, policy).effective_rate
            except NearshoreError:
                failed += 1
            k += 1
    return totals, failed


def make_entries(schedule: Schedule, n: int, n_codes: int, seed: int = 7) -> Entries:
    rng = np.random.default_rng(seed)
    codes = [
        c
        for c, line in schedule.lines.items()
        if len(c) == 10
        and c < "98"
        and line.general is not None
        and line.general.kind in ("ad_valorem", "free")
        and (line.column2 is None or not line.column2.specific)
    ]
    chosen = np.array(codes)[rng.choice(len(codes), size=min(n_codes, len(codes)), replace=False)]
    days = np.array([date(2025, 1, 2) + timedelta(days=int(d)) for d in range(0, 360)], dtype="datetime64[D]")
    origin = np.array(ORIGINS)[rng.integers(0, len(ORIGINS), n)]
    usmca = np.isin(origin, ["MEX", "CAN"]) & (rng.random(n) < 0.6)
    empty = pa.array(np.full(n, ""))
    nan = np.full(n, np.nan)
    return Entries(
        pa.array(chosen[rng.integers(0, len(chosen), n)]),
        pa.array(origin),
        pa.array(days[rng.integers(0, len(days), n)], pa.date32()),
        rng.uniform(900, 250_000, n),
        nan,
        nan,
        nan,
        usmca,
        empty,
        empty,
    )


def bench_batch(schedule: Schedule, n: int, n_codes: int) -> None:
    policy = load_policy()
    entries = make_entries(schedule, n, n_codes)
    started = time.perf_counter()
    result = duty_vectorised(entries, schedule, policy)
    seconds = time.perf_counter() - started
    fast = n / seconds
    sample = make_entries(schedule, 5000, n_codes, seed=8)
    started = time.perf_counter()
    slow_duty = duty_loop(sample, schedule, policy)
    slow = len(sample) / (time.perf_counter() - started)
    check = duty_vectorised(sample, schedule, policy).duty
    agree = bool(np.allclose(check, slow_duty, atol=0.011))
    print(
        f"batch: {n:,} lines ({result.groups:,} line x origin x regime groups, {n_codes} HTS10 codes, "
        f"{len(ORIGINS)} origins, 2025 dates) in {seconds:.2f} s = {fast:,.0f} lines/s (target >= 1,000,000)"
    )
    print(
        f"batch baseline: per-line loop {slow:,.0f} lines/s; ratio {fast / slow:.0f}x; "
        f"vectorised == loop on 5,000 lines: {agree}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--lines", type=int, default=1_000_000, help="batch entry lines (default 1,000,000)")
    parser.add_argument("--codes", type=int, default=1000, help="HTS10 codes the batch draws from (default 1000)")
    parser.add_argument("--date", default="2025-09-01", help="date of the panel (default 2025-09-01)")
    parser.add_argument(
        "--baseline-partners",
        default=",".join(ORIGINS),
        help=f"partners the panel baseline runs on, comma-separated, or 'all' (default {','.join(ORIGINS)})",
    )
    args = parser.parse_args()
    if not HTS_FILE.exists():
        sys.exit(f"needs the official HTS file at {HTS_FILE}")
    with Store(":memory:") as store:
        hts.load(store, HTS_FILE)
        schedule = load_schedule(store)
    chosen = None if args.baseline_partners == "all" else args.baseline_partners.split(",")
    bench_panel(schedule, date.fromisoformat(args.date), chosen)
    bench_batch(schedule, args.lines, args.codes)


if __name__ == "__main__":
    main()
