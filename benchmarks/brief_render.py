"""Time the brief's writer and renderer (everything after the facts) and `nearshore --help`.

Prints each figure and its ratio to a baseline run in the same script: a bare `python -c pass` start-up for
the CLI, and the same brief without charts for the render (charts are the costly part). The facts are
synthetic (made-up values shaped like the real ones); the analytics that compute real facts are timed
separately. Targets (issue 4): whole `nearshore brief` < 3 s, `nearshore --help` < 0.3 s.

Run: python benchmarks/brief_render.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def wall(command: list[str], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        best = min(best, time.perf_counter() - started)
    return best


RENDER = """
import sys, time
started = time.perf_counter()
from pathlib import Path
from nearshore.writer import (Fact, FactTable, Series, partner_shares, produce_brief, sector_composition,
                              standard_outline, usmca_claimed)
S = "synthetic benchmark data"
def f(i, v, u, p):
    return Fact(i, v, u, p, i, S, "bench")
facts = FactTable((
    f("imp", 5.06e11, "USD", "2024"), f("imp.g", 6.4, "percent", "2024"),
    f("sh", 15.5, "percent", "2024"), f("sh.p", 14.3, "percent", "2019"),
    f("sh.c", 1.2, "pp", "2019-2024"), f("rk", 1, "rank", "2024"), f("rk.p", 2, "rank", "2019"),
    f("exp", 3.34e11, "USD", "2024"), f("exp.g", -0.8, "percent", "2024"),
    f("bal", -1.72e11, "USD", "2024"), f("auto", 31.4, "percent", "2024"),
    f("elec", 22.1, "percent", "2024"), f("us", 85.0, "percent", "2025-06"),
    f("us.p", 49.5, "percent", "2024-06"), f("us.c", 35.5, "pp", "2024-06..2025-06"),
    f("duty", 4.2, "percent", "2025"), f("chn", 13.4, "percent", "2024")))
roles = {"imports": "imp", "imports_growth": "imp.g", "share": "sh", "share_prev": "sh.p",
         "share_change": "sh.c", "rank": "rk", "rank_prev": "rk.p", "exports": "exp",
         "exports_growth": "exp.g", "balance": "bal", "sector:Automotive": "auto",
         "sector:Electronics": "elec", "usmca_share": "us", "usmca_share_prev": "us.p",
         "usmca_change": "us.c", "duty_rate": "duty", "auto_share": "auto", "china_share": "chn"}
outline = standard_outline("us-mexico", "Mexico", 2024, roles, ("imp", "sh", "rk"))
years = [str(y) for y in range(2015, 2025)]
charts = () if sys.argv[2] == "none" else (
    partner_shares([Series("Mexico", tuple((y, 13 + i * 0.25) for i, y in enumerate(years))),
                    Series("China", tuple((y, 21 - i * 0.8) for i, y in enumerate(years)))], S),
    sector_composition("Mexico", [("Automotive", 31.4), ("Electronics", 22.1), ("Other", 46.5)], S),
    usmca_claimed("Mexico", [(f"2025-{m:02d}", 40.0 + m * 4) for m in range(1, 13)], S))
produce_brief(outline, facts, charts, Path(sys.argv[1]), "bench", tuple(sys.argv[3].split(",")))
print(time.perf_counter() - started)
"""


def main() -> None:
    python = sys.executable
    baseline_start = wall([python, "-c", "pass"])
    help_time = wall([python, "-m", "nearshore", "--help"])
    print(
        f"nearshore --help: {help_time:.3f} s (python start-up {baseline_start:.3f} s, "
        f"ratio {help_time / baseline_start:.1f}x; target < 0.3 s)"
    )
    with tempfile.TemporaryDirectory() as out:
        for charts, formats in (("none", "html"), ("charts", "html"), ("charts", "html,md,pdf")):
            started = time.perf_counter()
            subprocess.run([python, "-c", RENDER, out, charts, formats], cwd=ROOT, check=True, capture_output=True)
            elapsed = time.perf_counter() - started
            if charts == "none":
                baseline = elapsed
            print(
                f"write+verify+render ({charts}, {formats}): {elapsed:.2f} s wall incl. start-up "
                f"(ratio {elapsed / baseline:.1f}x vs no charts)"
            )


if __name__ == "__main__":
    main()
