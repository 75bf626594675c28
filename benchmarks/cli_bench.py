"""Command-line start-up benchmark: `nearshore --help`, `import nearshore` and `nearshore tariff duty`, each in
fresh processes, as a user runs them.

Run from the repository root: python benchmarks/cli_bench.py [--runs 7]

Each figure is the median wall time, and the median CPU time (user + system, of the process and its children),
of --runs fresh processes (`python -m nearshore ...` of this checkout), including the interpreter's start. The
package's bytecode is compiled first (outside the timing; PYTHONDONTWRITEBYTECODE is dropped from the children's
environment), as an installed package has it: a process compiling every module from source pays ~0.05-0.1 s
more. Wall time on a shared machine moves with the load (the 1-minute load average is printed with the figures);
CPU time moves much less. Baselines run in the same way, interleaved with the measured runs:
- help: the eager command line (every group's module imported, Rich's help renderer), as before issue 12.
- import: `import nearshore` plus the analytics package and settings it imported eagerly before issue 12.
- duty: the same command with NEARSHORE_TARIFF_CACHE=false (schedule built from the store, policy read from
  YAML, on every run). The cached runs find the cache one earlier (untimed) run wrote, as a user's second run
  does; the store is a throwaway file holding the official 2025 Basic Edition (loaded outside the timing).
In process (library, as the HTTP API calls it): `tariff_inputs` + `calculate` per call on 2,000 entries with codes
drawn from every HTS line (cache file already written; the first call, which reads it, is inside the timing),
against the same work without the cache (`load_schedule` from the opened store + `calculate`, 5 calls; the
policy's YAML is read once, as `load_policy` caches it in process). Then the same entries through the duty
service, as the HTTP API's worker runs them (request, service, JSON document of the result; the cache read
above, as a warm worker has it).
Targets (issue 12): help < 0.15 s, import < 0.1 s, duty < 0.3 s, < 1 ms a call in process.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nearshore.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
HTS_FILE = Settings.load().raw_dir() / "usitc_hts_2025" / "hts_2025_basic_edition.csv"  # NEARSHORE_SHARED_DIR
DUTY = ["tariff", "duty", "--hts", "8708.99.81", "--origin", "MX", "--value", "10000", "--date", "2025-06-01"]
EAGER_HELP = (
    "import importlib, sys; from nearshore.cli import main\n"
    "[importlib.import_module(module) for module, _ in main.GROUPS.values()]\n"
    "main.app.rich_markup_mode = 'rich'; sys.argv = ['nearshore', '--help']; main.run()"
)


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wall(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of `argv` to its end."""
    cpu, started = cpu_of_children(), time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 2) or (done.returncode == 2 and "Usage" not in done.stderr):
        sys.exit(f"{' '.join(argv)} failed: {done.stderr[-2000:]}")
    return seconds, cpu_of_children() - cpu


def compare(
    name: str, ours: list[str], base: list[str], env: dict[str, str], base_env: dict[str, str], runs: int, target: float
) -> None:
    mine, theirs = [], []
    for _ in range(runs):  # interleaved: the machine's load falls on both alike
        mine.append(wall(ours, env))
        theirs.append(wall(base, base_env))
    m, b = (statistics.median(t[0] for t in mine), statistics.median(t[0] for t in theirs))
    mc, bc = (statistics.median(t[1] for t in mine), statistics.median(t[1] for t in theirs))
    verdict = "met" if m < target else "NOT met"
    print(
        f"{name}: {m:.3f} s wall, {mc:.3f} s CPU, medians of {runs} fresh processes (target < {target} s: "
        f"{verdict}); baseline {b:.3f} s wall, {bc:.3f} s CPU; ratio {b / m:.1f}x wall, {bc / mc:.1f}x CPU "
        f"(load average {os.getloadavg()[0]:.2f})"
    )


def in_process(env: dict[str, str]) -> None:
    import random
    from contextlib import ExitStack, suppress
    from datetime import date

    from nearshore.data.store import Store
    from nearshore.errors import NearshoreError
    from nearshore.settings import Settings
    from nearshore.tariffs.compiled import tariff_inputs
    from nearshore.tariffs.duty import Entry, calculate
    from nearshore.tariffs.policy import load_policy
    from nearshore.tariffs.schedule import load_schedule

    settings = Settings.load(env)
    with ExitStack() as stack:
        store = stack.enter_context(Store(settings.db_path(), read_only=True))
        codes = [r[0] for r in store.con.execute("SELECT code FROM hts_schedule WHERE length(code) >= 8").fetchall()]
        entries = [
            Entry(c, "CN", 10_000.0, date(2025, 9, 1), quantity=100.0) for c in random.Random(3).choices(codes, k=2000)
        ]

        def one(entry: Entry, schedule, policy) -> None:
            with suppress(NearshoreError):  # a line whose rate needs inputs the entry lacks: its error, as a user sees
                calculate(entry, schedule, policy)

        started = time.perf_counter()
        for entry in entries:
            one(entry, *tariff_inputs(settings, lambda: store, None, entry.hts))
        per_call = (time.perf_counter() - started) / len(entries)
        load_policy()
        started = time.perf_counter()
        for entry in entries[:5]:
            one(entry, load_schedule(store), load_policy())
        base = (time.perf_counter() - started) / 5
    verdict = "met" if per_call < 1e-3 else "NOT met"
    print(
        f"duty in process: {per_call * 1e3:.3f} ms a call over {len(entries):,} entries (target < 1 ms: {verdict}); "
        f"baseline without the cache {base * 1e3:.0f} ms a call; ratio {base / per_call:.0f}x"
    )
    in_service(settings, [(e.hts, e.origin, e.value, e.on.isoformat(), e.quantity) for e in entries], per_call)


def in_service(settings: Settings, entries: list[tuple[str, str, float, str, float | None]], library: float) -> None:
    """The service a call, as `POST /v1/tariff/duty` runs it in a warm API worker: the request checked, the
    duty service (cache already read by this process), the JSON document of its result; against the library
    call alone (`library`, measured above)."""
    from contextlib import suppress

    from nearshore.errors import NearshoreError
    from nearshore.services import DutyRequest, envelope, open_context, tariffs

    with open_context("read", settings=settings) as ctx:
        started = time.perf_counter()
        for hts, origin, value, on, quantity in entries:
            with suppress(NearshoreError):  # a line whose rate needs inputs the entry lacks: its error, as a user sees
                request = DutyRequest(hts=hts, origin=origin, value=value, date=on, quantity=quantity)
                envelope(tariffs.duty(ctx, request))
        per_call = (time.perf_counter() - started) / len(entries)
    verdict = "met" if per_call < 1e-3 else "NOT met"
    print(
        f"duty service in process: {per_call * 1e3:.3f} ms a call, request to JSON document, over {len(entries):,} "
        f"entries (target < 1 ms: {verdict}); the library call alone {library * 1e3:.3f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per figure (default 7)")
    args = parser.parse_args()
    if not HTS_FILE.exists():
        sys.exit(f"needs the official HTS file at {HTS_FILE}")
    py = sys.executable
    compileall.compile_dir(ROOT / "nearshore", quiet=1)  # the bytecode an installed package has (untimed)
    print(f"{os.cpu_count()} CPUs; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the start")
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env |= {"NEARSHORE_DATA_DIR": tmp, "NEARSHORE_DB": str(Path(tmp) / "store.duckdb")}
        load = [py, "-m", "nearshore", "data", "load", "hts", str(HTS_FILE), "--format", "json"]
        subprocess.run(load, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        wall([py, "-m", "nearshore", *DUTY], env)  # writes the cache, as a user's first run does (untimed)
        compare(
            "nearshore --help", [py, "-m", "nearshore", "--help"], [py, "-c", EAGER_HELP], env, env, args.runs, 0.15
        )
        compare(
            "import nearshore",
            [py, "-c", "import nearshore"],
            [py, "-c", "import nearshore, nearshore.analytics, nearshore.settings"],
            env,
            env,
            args.runs,
            0.1,
        )
        cold = {**env, "NEARSHORE_TARIFF_CACHE": "false"}
        compare(
            "nearshore tariff duty",
            [py, "-m", "nearshore", *DUTY],
            [py, "-m", "nearshore", *DUTY],
            env,
            cold,
            args.runs,
            0.3,
        )
        in_process(env)


if __name__ == "__main__":
    main()
