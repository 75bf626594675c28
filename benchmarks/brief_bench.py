"""`nearshore brief` end to end on the embedded snapshot, and `nearshore --help`, as a user runs them.

  cold      a new store (new data dir): create and seed it from the embedded snapshot, compute the facts,
            write html + md (the default formats) with the three charts, verify
  warm      the same command again on the now-seeded store (its composition and charts read from the cache)
  new day   the same once more with the day's compositions removed (cache/briefs, outside the timing), as the
            first brief of a day finds the cache: what the store gives and the charts kept, the rest computed
  pdf       warm, with --format html,md,pdf, the first time (the PDF's PNG charts drawn and kept)
  pdf again the same once more (the PNGs read from the cache)
  help      `python -m nearshore --help`

Baseline, measured in the same run: the same commands in a second new data dir with the brief's caches off
(NEARSHORE_BRIEF_CACHE=false, NEARSHORE_CHART_CACHE=false): every run computes the facts and draws the charts,
as the brief did before these caches (the template and tariff caches stay on in both). `help` is compared
with a bare `python -c pass`.

Each figure is a new `python -m nearshore` process, start to exit: inside the timing is everything the process
does (imports, seeding, queries, charts, templates, writing, verifying); outside is making the temporary data
directory and, before `new day`, removing its cache/briefs folder; before the runs, the package's bytecode is
compiled (`compileall`), as an installed package has it (a shell with PYTHONDONTWRITEBYTECODE=1, which the
children do not inherit, would otherwise compile the package from source in every process). Printed for each:
the median over --runs of wall-clock seconds and of CPU seconds (user + sys of the child), the target (issue 12),
the ratio to the target and to the baseline, and the load average before and after (the machine is shared: CPU
seconds say more than wall time when it is busy).

Run: python benchmarks/brief_bench.py [--runs 3]
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"cold": 3.0, "warm": 2.0, "new day": 2.0, "pdf": 3.0, "pdf again": 3.0, "help": 0.15}
OFF = {"NEARSHORE_BRIEF_CACHE": "false", "NEARSHORE_CHART_CACHE": "false"}


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + sys) seconds of `python *args` in a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def one_run(extra: dict[str, str]) -> dict[str, tuple[float, float]]:
    """cold, warm, pdf, pdf again and help in a new data dir, with `extra` settings in the environment."""
    with tempfile.TemporaryDirectory(prefix="nearshore-bench-") as tmp:
        env = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            **extra,
            "NEARSHORE_DATA_DIR": tmp,
            "NEARSHORE_DB": str(Path(tmp) / "store.duckdb"),
        }
        brief = ["-m", "nearshore", "brief", "--quiet", "--out", str(Path(tmp) / "out")]
        pdf = [*brief, "--format", "html,md,pdf"]
        cold, warm = timed(brief, env), timed(brief, env)
        shutil.rmtree(Path(tmp) / "cache" / "briefs", ignore_errors=True)
        return {
            "cold": cold,
            "warm": warm,
            "new day": timed(brief, env),
            "pdf": timed(pdf, env),
            "pdf again": timed(pdf, env),
            "help": timed(["-m", "nearshore", "--help"], env),
            "python": timed(["-c", "pass"], env),
        }


def median(runs: list[dict[str, tuple[float, float]]], name: str, which: int) -> float:
    return statistics.median(r[name][which] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Time nearshore brief (new store, warm, PDF) and nearshore --help, against the same "
        "commands with the brief's caches off.",
        epilog="Example: python benchmarks/brief_bench.py --runs 3",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of each command (the median is printed)")
    runs = parser.parse_args().runs
    compileall.compile_dir(ROOT / "nearshore", quiet=1)  # the bytecode an installed package has (untimed)
    load = os.getloadavg()
    cached, base = [], []
    for _ in range(runs):
        cached.append(one_run({}))
        base.append(one_run(OFF))
    print(f"{runs} runs each, median; load average {load[0]:.2f} before, {os.getloadavg()[0]:.2f} after")
    print(
        "baseline: the same commands with NEARSHORE_BRIEF_CACHE=false NEARSHORE_CHART_CACHE=false; help: python -c pass"
    )
    for name, target in TARGETS.items():
        wall, cpu = median(cached, name, 0), median(cached, name, 1)
        base_name = "python" if name == "help" else name
        base_wall, base_cpu = median(base, base_name, 0), median(base, base_name, 1)
        verdict = "ok" if wall < target else "OVER TARGET"
        print(
            f"{name:>9}: wall {wall:.2f} s (cpu {cpu:.2f} s)  target {target:.2f} s  ratio to target "
            f"{wall / target:.2f}  baseline wall {base_wall:.2f} s (cpu {base_cpu:.2f} s)  "
            f"x{wall / base_wall:.2f} of baseline  {verdict}"
        )


if __name__ == "__main__":
    main()
