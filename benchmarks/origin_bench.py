"""Benchmark: origin determination of 10,000 generated BOMs x 50 material lines (target < 3 s).

Prints the total time, the cost per BOM, and a ratio against a baseline run in the same script: the same
determination with the tariff-shift memo emptied before every BOM, i.e. a naive per-material loop asking
`TariffShift.satisfied_by` for every line. Goods use the shipped GN 11 rules of a few common codes.

Run from the repository root: python -m benchmarks.origin_bench [--boms 10000] [--lines 50]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time

from nearshore.origin import psr
from nearshore.origin.bom import BOM, Good, Material, NetCost
from nearshore.origin.determine import determine

ON = dt.date(2026, 7, 1)
GOODS = ["8708.99", "8708.30", "8481.80", "8544.42", "9401.71", "7308.90", "8413.70", "3926.90"]
MATERIALS = [
    "7318.15",
    "7326.90",
    "3926.90",
    "8544.42",
    "8481.90",
    "7208.51",
    "4016.93",
    "8708.99",
    "8413.91",
    "7616.99",
    "8536.90",
    "3923.10",
    "4819.10",
    "8501.31",
    "7307.99",
    "8482.10",
]


def generate(count: int, lines: int, seed: int = 7) -> list[BOM]:
    rng = random.Random(seed)
    boms = []
    for n in range(count):
        materials = tuple(
            Material(
                line=i + 1,
                description=f"part {i}",
                hs=rng.choice(MATERIALS).replace(".", ""),
                origin="MX" if rng.random() < 0.55 else "CN",
                originating=rng.random() < 0.55,
                value=round(rng.uniform(0.5, 40.0), 2),
            )
            for i in range(lines)
        )
        total = sum(m.value for m in materials)
        good = Good(
            f"good {n}",
            rng.choice(GOODS).replace(".", ""),
            "MX",
            "USD",
            transaction_value=round(total * rng.uniform(1.3, 2.6), 2),
            net_cost=NetCost(round(total * rng.uniform(1.2, 2.2), 2)),
        )
        boms.append(BOM(f"bom-{n}", good, materials))
    return boms


def naive(bom: BOM) -> bool:
    """The same determination with a cold shift memo: every material's shift asked afresh for each BOM."""
    psr.shift_memo.cache_clear()
    return determine(bom, ON).qualifies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boms", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=50)
    args = parser.parse_args()
    boms = generate(args.boms, args.lines)
    for bom in boms[:20]:  # load the shipped rule book once, outside the timing
        determine(bom, ON)
    psr.shift_memo.cache_clear()  # the timed run starts with an empty shift memo

    start = time.perf_counter()
    results = [determine(bom, ON) for bom in boms]
    engine = time.perf_counter() - start
    qualifying = sum(r.qualifies for r in results)

    sample = boms[: max(1, len(boms) // 10)]
    start = time.perf_counter()
    for bom in sample:
        naive(bom)
    baseline = (time.perf_counter() - start) * len(boms) / len(sample)

    per_bom = engine / len(boms) * 1e6
    per_line = engine / (len(boms) * args.lines) * 1e6
    print(
        f"origin determination: {len(boms):,} BOMs x {args.lines} lines in {engine:.2f} s "
        f"({per_bom:.0f} us per BOM, {per_line:.2f} us per line); {qualifying:,} qualify"
    )
    print(
        f"baseline (cold shift memo per BOM; timed on {len(sample):,} BOMs, scaled): {baseline:.2f} s "
        f"-> engine is {baseline / engine:.1f}x the baseline speed"
    )
    print(f"target < 3 s: {'met' if engine < 3 else 'NOT met'}")


if __name__ == "__main__":
    main()
