"""Long fuzz campaigns over every file source: mutated seed files and mutated official files, each load run in a
worker process with a time limit, counted as the test suite's oracle judges it (tests/data/sources/fuzzing.py).

Counts printed (and kept in docs/reliability.md): inputs tried, clean errors (refused with a located message,
exit 2-6, store unchanged), successes (loaded, finite figures), crashes (anything else: a traceback, a wrong exit
code, an unlocated message, a bad figure stored), hangs (over the time limit) and data changed (a refused load
that changed the store file).

    python scripts/fuzz_sources.py --inputs 2000                  # seeds only, about 2-3 minutes
    python scripts/fuzz_sources.py --inputs 300 --official ../shared/data/raw   # the official files as seeds

Inside the timing: the whole campaign. Outside: building the seeded stores.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.data.sources.fuzzing import (  # noqa: E402
    Edit,
    Outcome,
    Seed,
    Tally,
    attempt,
    random_edits,
    seeded_store,
    seeds,
)

# The official files a campaign with --official mutates (small enough to load in a few seconds each).
OFFICIAL = (
    ("census-country", "census_country_trade/census_country_all_partners_2022_2025.csv", "2026-07"),
    ("census-duties", "census_duties_by_country/census_calculated_duties_can_mex_chn_2018_2025_monthly.csv", None),
    ("comtrade", "un_comtrade_mexico_hs4/world_trade.csv", "2026-01"),
    ("dataweb", "usitc_dataweb_usmca_utilization/usmca_product_shares_2025_01.csv", "2026-05"),
    ("dataweb", "usitc_dataweb_usmca_utilization/usmca_product_shares_2024.csv", "2026-05"),
    ("hts", "usitc_hts_2025/hts_2025_basic_edition.csv", None),
    ("census-hs2", "census_imports_hs2_country_monthly/us_imports_hs2_country_monthly_2023_2024.csv.gz", "2025-02"),
)


def official_seeds(raw: Path) -> list[Seed]:
    return [
        Seed(source, Path(name).name, (raw / name).read_bytes(), vintage, label=f"{source}:official:{Path(name).name}")
        for source, name, vintage in OFFICIAL
        if (raw / name).is_file()
    ]


def _run(seed: Seed, edits: list[Edit], folder: str, store: str) -> tuple[str, str]:
    outcome = attempt(seed, seed.file(edits), Path(folder), Path(store))
    return outcome.result, outcome.message


def campaign(all_seeds: list[Seed], inputs: int, rng: random.Random, limit: float, work: Path) -> Tally:
    tally = Tally()
    stores = {}
    for i, seed in enumerate(all_seeds):
        folder = work / f"seed{i}"
        stores[seed.id] = (folder, seeded_store(folder, seed))
        shutil.copy(stores[seed.id][1], folder / "pristine.duckdb")
    pool = multiprocessing.Pool(1)
    try:
        for n in range(inputs):
            seed = all_seeds[n % len(all_seeds)]
            folder, store = stores[seed.id]
            edits = random_edits(rng, rng.randint(1, 3))
            job = pool.apply_async(_run, (seed, edits, str(folder), str(store)))
            try:
                result, message = job.get(timeout=limit)
            except multiprocessing.TimeoutError:
                pool.terminate()
                pool = multiprocessing.Pool(1)
                shutil.copy(folder / "pristine.duckdb", store)
                result, message = "hang", f"over {limit:g} s: {edits}"
            tally.add(seed, result, message)
            if result == "crash":
                tally.failures[-1] = (seed.id, f"{message} <- {edits}"[:600])
    finally:
        pool.terminate()
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=2000, help="mutated files to try (default 2000)")
    parser.add_argument("--seed", type=int, default=10, help="random seed, for a campaign that can be repeated")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a load counts as a hang")
    parser.add_argument("--official", type=Path, help="folder of the official raw files, to mutate them too")
    args = parser.parse_args(argv)
    all_seeds = seeds() + (official_seeds(args.official) if args.official else [])
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nearshore-fuzz-") as work:
        tally = campaign(all_seeds, args.inputs, random.Random(args.seed), args.timeout, Path(work))
    seconds = time.perf_counter() - start
    counts = tally.counts
    print(f"{len(all_seeds)} seed files, {args.inputs} inputs in {seconds:.0f} s (random seed {args.seed})")
    for label, key in (
        ("inputs tried", None),
        ("clean errors", "refused"),
        ("successes", "loaded"),
        ("crashes", "crash"),
        ("hangs", "hang"),
        ("data changed", "changed"),
    ):
        print(f"  {label:14} {sum(counts.values()) if key is None else counts.get(key, 0):>7,}")
    for seed_id, message in tally.failures:
        print(f"  FAIL {seed_id}: {message}")
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())

__all__ = ["Outcome", "campaign", "main"]
