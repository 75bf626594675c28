"""`nearshore brief` end to end on the embedded snapshot, and `nearshore --help`, as a user runs them.

  cold   a fresh store (new data dir): open, seed from the embedded snapshot, compute the facts, write
         html + md (the default formats) with the three charts, verify
  warm   the same command again on the now-seeded store
  pdf    warm, with --format html,md,pdf
  help   `python -m nearshore --help`

Each is the best of N wall-clock runs of a new `python -m nearshore` process, start to exit, printed with its
ratio to the target (issue 12: new store < 3 s, warm < 2 s, PDF < 3 s, --help < 0.15 s) and to a bare
`python -c pass` start-up run alongside (the baseline: what any Python command costs). Inside the timing:
everything the process does (imports, seeding, queries, charts, templates, writing, verifying). Outside: making
the temporary data directory. Each run starts from a new data directory, so the first brief also compiles the
templates into its cache (<data_dir>/cache/templates) as a user's first run does; nothing else is warmed.

Run: python benchmarks/brief_bench.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"cold": 3.0, "warm": 2.0, "pdf": 3.0, "help": 0.15}


def timed(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description="Time nearshore brief and nearshore --help.")
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    best: dict[str, float] = {k: float("inf") for k in ("python", *TARGETS)}
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="nearshore-bench-") as tmp:
            env = {**os.environ, "NEARSHORE_DATA_DIR": tmp, "NEARSHORE_DB": str(Path(tmp) / "store.duckdb")}
            out = str(Path(tmp) / "out")
            brief = ["-m", "nearshore", "brief", "--quiet", "--out", out]
            best["python"] = min(best["python"], timed(["-c", "pass"], env))
            best["cold"] = min(best["cold"], timed(brief, env))
            best["warm"] = min(best["warm"], timed(brief, env))
            best["pdf"] = min(best["pdf"], timed([*brief, "--format", "html,md,pdf"], env))
            best["help"] = min(best["help"], timed(["-m", "nearshore", "--help"], env))
    base = best["python"]
    print(f"python start-up (baseline): {base:.3f} s")
    for name, target in TARGETS.items():
        value = best[name]
        verdict = "ok" if value < target else "OVER TARGET"
        print(
            f"{name:>5}: {value:.3f} s  target {target:.1f} s  ratio to target {value / target:.2f}  "
            f"x{value / base:.1f} python start-up  {verdict}"
        )


if __name__ == "__main__":
    main()
