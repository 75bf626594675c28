"""`nearshore tariff batch FILE --format table`: what the terminal table costs beyond the CSV, and its formatting.

Run from the repository root: python benchmarks/batch_table_bench.py [--lines 100000] (needs the official HTS
file: NEARSHORE_SHARED_DIR).

Two timings, each against a baseline measured in the same run:
- End to end, in fresh processes on the same store and file: `python -m nearshore tariff batch FILE --format table
  --quiet > out.txt` against the same command with `--format csv` (the baseline: the same reading, rating and
  cache, only the writing differs). Inside the timing: the whole command. Outside: loading the official 2025
  Basic Edition into a throwaway store, choosing the codes and writing the input file (as batch_cli_bench.py
  does), one warm-up run that writes the batch cache (both timed runs read it), and compiling the package's
  bytecode. Output goes to a file, so Rich sees no terminal. CPU seconds (user + system) are printed beside wall
  time: the machine is shared.
- In process, on the batch service's result for the same file: the table's cells as cli/tariff_tables.batch
  builds them (numbers formatted a column at a time, format.numbers / format.percents) against the baseline of
  formatting each row's numbers one by one with format.number and format.percent (what the table did before).
  Inside: building the rows of cells from the result. Outside: rating the file. The two sets of cells are
  compared and must be identical.
"""

from __future__ import annotations

import argparse
import compileall
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.batch_cli_bench import HTS_FILE, bench_files, run  # noqa: E402
from nearshore import format as fmt  # noqa: E402


def per_cell(rows: Any) -> list[tuple[Any, ...]]:
    """The baseline: each row's numbers formatted one by one."""
    out = []
    for r in rows:
        rate = "" if r[6] is None else fmt.percent(r[6], 2, fraction=True)
        out.append((*r[:4], fmt.number(r[4], 0), fmt.number(r[5], 0), rate))
    return out


def formatting(entries: Path, env: dict[str, str]) -> tuple[float, float, bool]:
    """(seconds columnar, seconds per cell, identical) of building the table's cells from the batch's result."""
    from nearshore.cli import tariff_tables
    from nearshore.services import tariffs
    from nearshore.services.base import open_context
    from nearshore.settings import Settings

    with open_context("read", settings=Settings.load(env)) as ctx:
        result = tariffs.batch(ctx, tariffs.DutyBatchRequest(path=entries))
    started = time.process_time()
    fast = tariff_tables.batch(result).rows
    columnar = time.process_time() - started
    started = time.process_time()
    slow = per_cell(result.rows)
    baseline = time.process_time() - started
    return columnar, baseline, list(fast) == slow


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--lines", type=int, default=100_000, help="entry lines (default 100,000)")
    args = parser.parse_args()
    if not HTS_FILE.exists():
        sys.exit(f"needs the official HTS file at {HTS_FILE}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        entries, _, env = bench_files(folder, args.lines)
        command = [sys.executable, "-m", "nearshore", "tariff", "batch", str(entries), "--quiet", "--format"]
        compileall.compile_dir(ROOT / "nearshore", quiet=1)
        run([*command, "csv"], folder / "warm.csv", env)
        table = run([*command, "table"], folder / "out.txt", env)
        csv = run([*command, "csv"], folder / "out.csv", env)
        rows = (folder / "out.txt").read_text(encoding="utf-8").count("\n│")
        columnar, baseline, same = formatting(entries, env)
    print(f"tariff batch --format table: {args.lines:,} lines; load average {os.getloadavg()[0]:.1f}")
    for label, (seconds, cpu, _) in (("table", table), ("csv (baseline)", csv)):
        print(f"  {label}: {seconds:.2f} s wall, CPU {cpu:.2f} s")  # no RSS: a child's counts this process's
    print(f"  the table costs {table[1] - csv[1]:+.2f} CPU s over the CSV (ratio {table[1] / csv[1]:.2f}x CPU)")
    print(
        f"table cells from the result: {columnar:.3f} CPU s a column at a time, {baseline:.3f} CPU s formatting "
        f"each cell (baseline): {baseline / columnar:.1f}x; identical cells: {same}; table rows written: {rows:,}"
    )
    if not same or rows != args.lines:
        sys.exit("the table's cells differ from per-cell formatting, or rows are missing")


if __name__ == "__main__":
    main()
