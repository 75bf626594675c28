"""Benchmark: origin determination of 10,000 generated BOMs x 50 material lines (target < 3 s).

Inside the timing: `determine(bom, date)` for every BOM, in one process, starting with an empty tariff-shift
memo. Outside: generating the BOMs (already built objects) and loading the shipped GN 11 rule book (one
untimed determination of 20 BOMs). Goods use the shipped rules of a few common codes.

Baseline, run in full in the same script on the same BOMs (nothing extrapolated): the evaluation a user would
script with the rule model's public calls, BOM by BOM and line by line, without the engine: the good's rules
(`rules.index.rules_for`); for every mechanical alternative (all of them, as the engine reports each), every
non-originating material asked `TariffShift.satisfied_by(material, good)` for every shift, de minimis at 10 %
of the transaction value on the failing value, and `RvcRequirement.satisfied_by` on the transaction-value and
net-cost RVC. It knows nothing of Part 6 (automotive part thresholds), intermediate materials or chapter rules
and builds no report (the engine records every test with its inputs, margin and citation): it does less work,
and may disagree with the engine on some goods; the script prints on how many.

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
from nearshore.origin.general import rvc
from nearshore.origin.rules import index

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


def simple(bom: BOM) -> bool:
    """Does the good qualify, by a straightforward per-rule, per-material evaluation (the baseline)?"""
    good = bom.good
    foreign = [m for m in bom.materials if not m.originating]
    vnm = sum(m.value for m in foreign)
    tv = rvc(good.transaction_value, vnm) if good.transaction_value else None
    nc = rvc(good.net_cost.value, vnm) if good.net_cost else None
    outcomes = []  # every alternative is evaluated, as the engine reports each
    for rule in index.rules_for(good.hs):
        if rule.is_note:
            continue
        for alt in rule.alternatives:
            if not alt.mechanical:
                continue
            shifts = alt.tariff_shifts
            failing = sum(
                m.value
                for m in foreign
                if shifts and (m.hs is None or not all(s.satisfied_by(m.hs, good.hs) for s in shifts))
            )
            shift_ok = failing == 0 or (good.transaction_value is not None and failing <= 0.1 * good.transaction_value)
            outcomes.append(shift_ok and (alt.rvc is None or alt.rvc.satisfied_by(tv, nc)))
    return any(outcomes)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--boms", type=int, default=10_000, help="BOMs (default 10,000)")
    parser.add_argument("--lines", type=int, default=50, help="material lines per BOM (default 50)")
    args = parser.parse_args()
    boms = generate(args.boms, args.lines)
    for bom in boms[:20]:  # load the shipped rule book once, outside the timing
        determine(bom, ON)
        simple(bom)
    psr.shift_memo.cache_clear()  # the timed run starts with an empty shift memo

    start, cpu = time.perf_counter(), time.process_time()
    results = [determine(bom, ON) for bom in boms]
    engine, engine_cpu = time.perf_counter() - start, time.process_time() - cpu
    qualifying = sum(r.qualifies for r in results)

    start, cpu = time.perf_counter(), time.process_time()
    answers = [simple(bom) for bom in boms]
    baseline, baseline_cpu = time.perf_counter() - start, time.process_time() - cpu
    agree = sum(a == r.qualifies for a, r in zip(answers, results, strict=True))

    per_bom = engine / len(boms) * 1e6
    per_line = engine / (len(boms) * args.lines) * 1e6
    print(
        f"origin determination: {len(boms):,} BOMs x {args.lines} lines in {engine:.2f} s wall, {engine_cpu:.2f} s "
        f"CPU ({per_bom:.0f} us per BOM, {per_line:.2f} us per line); {qualifying:,} qualify"
    )
    print(
        f"baseline (straightforward per-BOM, per-line evaluation with the rule model's public calls; all "
        f"{len(boms):,} BOMs run): {baseline:.2f} s wall, {baseline_cpu:.2f} s CPU -> the engine is "
        f"{baseline / engine:.1f}x the baseline's speed ({baseline_cpu / engine_cpu:.1f}x in CPU time); "
        f"{sum(answers):,} qualify by the baseline, same answer on {agree:,} of {len(boms):,} BOMs"
    )
    print(f"target < 3 s: {'met' if engine < 3 else 'NOT met'}")


if __name__ == "__main__":
    main()
