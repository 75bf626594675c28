"""`nearshore tariff batch` end to end: a CSV of entry lines in, a CSV of duties out, in a fresh process.

Run from the repository root: python benchmarks/batch_cli_bench.py [--lines 200000]

Inside the timing: the whole command (`python -m nearshore tariff batch FILE --format csv --quiet > out.csv`):
interpreter start, imports, reading and checking the file, the schedule from the store, the policy, rating,
writing every output row. Peak RSS is that process's own high-water mark (VmHWM, read as it exits: the
kernel's rusage figure for a child also counts the memory of the process that started it). Run twice on the same
store and file: the first run, with no
cache, reads the schedule from DuckDB and the policy from YAML and writes the batch cache (`compiled.batch_inputs`),
as a user's first batch after a load does; the repeat run, what a user re-running a batch on the same store sees,
reads them from that cache. Outside: loading the official 2025 Basic Edition into a throwaway store, choosing the
codes, writing the input file, and compiling the package's bytecode (what an installed package has; with
PYTHONDONTWRITEBYTECODE set every run would compile it again). The lines draw their codes from every HTS10 line
of chapters 1-97 that rates without facts only the importer has (a quantity is given for per-unit rates), with 6
origins, dates through 2025 and USMCA claims on 60% of Canadian and Mexican lines. Target (issue 12): >= 500,000
lines/s and < 1 GB RSS at 1,000,000 lines (--lines 1000000; the default is smaller for the shared machine).
Baseline, in the same run: a fresh process reading the same file with the csv module, calling the one-entry
engine (`duty.calculate`) per line and writing the same columns; with --baseline-lines N it reads only the first
N lines of that file (said in the output; its lines/s is then on that prefix, nothing is extrapolated). The duty
of every line the baseline rated is compared with the batch's for the same line. CPU seconds (user + system) of
each child are printed beside wall time: the machine is shared, wall time depends on what else runs.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nearshore.data.sources import hts  # noqa: E402
from nearshore.data.store import Store  # noqa: E402
from nearshore.errors import ValidationFailed  # noqa: E402
from nearshore.settings import Settings  # noqa: E402
from nearshore.tariffs.batch import duty_vectorised, entries_from_columns  # noqa: E402
from nearshore.tariffs.policy import load_policy  # noqa: E402
from nearshore.tariffs.schedule import load_schedule  # noqa: E402

HTS_FILE = Settings.load().raw_dir() / "usitc_hts_2025" / "hts_2025_basic_edition.csv"  # NEARSHORE_SHARED_DIR
ORIGINS = ["MEX", "CAN", "CHN", "VNM", "DEU", "JPN"]
LOOP = """
import csv, sys
from datetime import date
from nearshore.data.store import Store
from nearshore.tariffs.duty import Entry, calculate
from nearshore.tariffs.policy import load_policy
from nearshore.tariffs.schedule import load_schedule

with Store(sys.argv[2], read_only=True) as store:
    schedule = load_schedule(store)
policy = load_policy()
out = csv.writer(sys.stdout)
out.writerow(["row", "hts", "origin", "date", "value", "duty"])
limit = int(sys.argv[3])
with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    for i, r in enumerate(csv.DictReader(handle), start=2):
        if i - 2 >= limit:
            break
        entry = Entry(r["hts"], r["origin"], float(r["value"]), date.fromisoformat(r["date"]),
                      quantity=float(r["quantity"]), usmca=r["usmca"] == "1")
        out.writerow([i, r["hts"], r["origin"], r["date"], r["value"], calculate(entry, schedule, policy).total])
"""


def usable_codes(store: Store, on: date) -> list[str]:
    """Every HTS10 line of chapters 1-97 the batch rates for each origin (and USMCA claim) with a value and a
    quantity alone: the lines a file may hold without facts only the importer has (found with the batch itself)."""
    schedule, policy = load_schedule(store), load_policy()
    codes = [line.display for line in schedule.statistical_lines()]
    cases = [(o, claim) for o in ORIGINS for claim in (("", "1") if o in ("MEX", "CAN") else ("",))]
    rows = [(code, origin, claim) for code in codes for origin, claim in cases]
    n = len(rows)
    columns = {
        "hts": [r[0] for r in rows],
        "origin": [r[1] for r in rows],
        "usmca": [r[2] for r in rows],
        "value": [1000.0] * n,
        "date": [on.isoformat()] * n,
        "quantity": [100.0] * n,
    }
    try:
        duty_vectorised(entries_from_columns(columns), schedule, policy)  # type: ignore[arg-type]
    except ValidationFailed as exc:
        bad = {rows[p.row - 2][0] for p in exc.problems if p.row is not None}
        return [c for c in codes if c not in bad]
    return codes


def write_entries(path: Path, codes: list[str], n: int) -> None:
    rng = random.Random(7)
    start = date(2025, 1, 2)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["hts", "origin", "value", "date", "quantity", "usmca"])
        for _ in range(n):
            origin = rng.choice(ORIGINS)
            claim = "1" if origin in ("MEX", "CAN") and rng.random() < 0.6 else ""
            day = (start + timedelta(days=rng.randrange(360))).isoformat()
            out.writerow([rng.choice(codes), origin, f"{rng.uniform(900, 250_000):.2f}", day, "100", claim])


def bench_files(folder: Path, lines: int) -> tuple[Path, list[str], dict[str, str]]:
    """In `folder`, a store holding the official 2025 Basic Edition and a file of `lines` entry lines: the file,
    the codes its lines draw from, and the environment that points a command at that store."""
    db = folder / "store.duckdb"
    with Store(db) as store:
        hts.load(store, HTS_FILE)
        codes = usable_codes(store, date(2025, 9, 1))
    entries = folder / "entries.csv"
    write_entries(entries, codes, lines)
    return entries, codes, {**os.environ, "NEARSHORE_DATA_DIR": str(folder), "NEARSHORE_DB": str(db)}


# Runs `python -m MODULE ...` or `python -c CODE ...` as given, and writes the process's peak RSS (VmHWM, kB) to
# $PEAK_FILE as it exits. ru_maxrss of a child is no use here: on exec Linux keeps the old address space's peak,
# which for a child started by vfork (subprocess) is this benchmark's own memory.
PEAK = """
import atexit, os, runpy, sys
def peak():
    with open("/proc/self/status") as status, open(os.environ["PEAK_FILE"], "w") as out:
        out.write(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
atexit.register(peak)
mode, target, *rest = sys.argv[1:]
if mode == "-m":
    sys.argv = [target, *rest]
    runpy.run_module(target, run_name="__main__", alter_sys=True)
else:
    sys.argv = ["-c", *rest]
    exec(compile(target, "<string>", "exec"), {"__name__": "__main__"})
"""


def run(argv: list[str], out: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds user + system, peak RSS MB) of one fresh process (`python -m ...` or
    `python -c ...`) writing its stdout to `out`."""
    peak = out.with_suffix(".peak")
    with out.open("w", encoding="utf-8") as handle:
        started = time.perf_counter()
        child = subprocess.Popen(
            [argv[0], "-c", PEAK, *argv[1:]],
            stdout=handle,
            stderr=subprocess.PIPE,
            env={**env, "PEAK_FILE": str(peak)},
            cwd=ROOT,
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed: {child.stderr.read().decode()[-2000:] if child.stderr else ''}")
    return seconds, usage.ru_utime + usage.ru_stime, int(peak.read_text()) / 1024


def duties(path: Path, limit: int | None = None) -> list[float]:
    """The duty column of an output file (its first `limit` rows)."""
    with path.open(newline="", encoding="utf-8") as handle:
        out: list[float] = []
        for r in csv.DictReader(handle):
            if limit is not None and len(out) >= limit:
                break
            out.append(float(r["duty"]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--lines", type=int, default=200_000, help="entry lines (default 200,000; target at 1M)")
    parser.add_argument(
        "--baseline-lines",
        type=int,
        default=None,
        help="run the per-line baseline on only the first N lines of the same file (default: all of them)",
    )
    args = parser.parse_args()
    if not HTS_FILE.exists():
        sys.exit(f"needs the official HTS file at {HTS_FILE}")
    base_lines = min(args.lines, args.baseline_lines or args.lines)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        entries, codes, env = bench_files(folder, args.lines)
        db = env["NEARSHORE_DB"]
        py = sys.executable
        command = [py, "-m", "nearshore", "tariff", "batch", str(entries), "--format", "csv", "--quiet"]
        compileall.compile_dir(ROOT / "nearshore", quiet=1)
        first = run(command, folder / "first.csv", env)
        seconds, cpu, rss = run(command, folder / "out.csv", env)
        same = (folder / "first.csv").read_bytes() == (folder / "out.csv").read_bytes()
        loop = [py, "-c", LOOP, str(entries), str(db), str(base_lines)]
        base_seconds, base_cpu, base_rss = run(loop, folder / "loop.csv", env)
        fast, slow = duties(folder / "out.csv"), duties(folder / "loop.csv")
    rate, base_rate = args.lines / seconds, base_lines / base_seconds
    differ = sum(abs(a - b) > 0.011 for a, b in zip(fast, slow, strict=False))
    print(
        f"tariff batch: {args.lines:,} lines ({len(codes):,} HTS10 codes, {len(ORIGINS)} origins) CSV in -> CSV out; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    for label, (s, c, r) in (("first run (builds the cache)", first), ("repeat run (cache warm)", (seconds, cpu, rss))):
        print(
            f"  {label}: {s:.2f} s wall = {args.lines / s:,.0f} lines/s (target >= 500,000); CPU {c:.2f} s = "
            f"{args.lines / c:,.0f} lines per CPU second; peak RSS {r:.0f} MB (target < 1024 MB)"
        )
    prefix = "" if base_lines == args.lines else f" on the first {base_lines:,} lines of the same file"
    print(
        f"baseline (csv module + one-entry engine per line, fresh process){prefix}: {base_seconds:.2f} s wall = "
        f"{base_rate:,.0f} lines/s, CPU {base_cpu:.2f} s, peak RSS {base_rss:.0f} MB; "
        f"ratio (repeat run) {rate / base_rate:.1f}x wall, "
        f"{(args.lines / cpu) / (base_lines / base_cpu):.1f}x CPU (lines/s)"
    )
    print(
        f"check: {len(fast):,} rows written (of {args.lines:,}); duties of the {len(slow):,} baseline rows: "
        f"{differ} differ by more than 1 cent; first and repeat output identical: {same}"
    )
    if len(fast) != args.lines or len(slow) != base_lines or differ or not same:
        sys.exit("the batch and the baseline disagree")


if __name__ == "__main__":
    main()
