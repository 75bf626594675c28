"""Benchmark: `nearshore origin batch` end to end, in fresh processes, on a generated portfolio of BOMs.

The same portfolio (default 10,000 BOMs x 20 material lines; goods and materials drawn from the shipped GN 11
codes of common automotive and industrial goods) is written three ways outside the timing: a folder of YAML files,
one JSON-lines file (one BOM a line) and one Parquet file (one BOM a row). Each timed run is one new
`nearshore origin batch ... --format csv --quiet` process, start to exit: Python start-up, imports, reading and
validating every BOM, loading the rule book, determining origin and writing the CSV (to /dev/null) are inside;
generating the files is outside. The runs agree on every row (checked after the timing). The shipped rule book
comes from its on-disk cache (<data_dir>/cache/origin) as on any run after a user's first; the first run ever
builds it (about 0.2 s more). The package is compiled to bytecode first (`compileall`, outside the timing), as an
installed package is: a shell with PYTHONDONTWRITEBYTECODE=1 would otherwise compile it from source in every run
(~0.1 s); the timed processes run without that variable.

Baseline, in the same run: the folder of YAML files read with PyYAML's pure-Python SafeLoader and determined
with the library, BOM by BOM (`yaml.load` -> `bom_from_mapping` -> `determine`), in its own fresh process: what
a user writing the loop by hand without libyaml would get.

The rule book: one more fresh process loads the shipped GN 11 rule book (`rules.index.shipped_rules()`: reading,
validating and building every rule; the interpreter and the import of the module are outside), against the
bare `json.load` of the same file in the same process (the floor any loader of that file pays).

The default table (`--format table`): one more fresh process runs the command on the JSON-lines file without
--format, its table read through a pipe (not a terminal); everything from start-up to exit is inside, as above.
Baseline, in the same run: the same command in a fresh process with the table writer (nearshore/cli/table_text.py)
switched off, so Rich lays out the same rows; the two outputs are compared byte for byte after the timing
(--no-table skips both).

Targets: the YAML folder < 20 s; the JSON-lines or Parquet file < 3 s; the rule book loads in < 0.1 s. The issue
gives no number of lines per BOM for its 10,000 BOM files; the default is 20 (origin_bench uses 50). The load
average is printed before and after: the machine is shared.

Run from the repository root: python -m benchmarks.origin_batch_bench [--boms 10000] [--lines 20] [--keep DIR]
[--no-baseline] [--no-table]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

GOODS = ["8708.99", "8708.30", "8481.80", "8544.42", "9401.71", "7308.90", "8413.70", "3926.90"]
MATERIALS = ["7318.15", "7326.90", "3926.90", "8544.42", "8481.90", "7208.51", "4016.93", "8708.99"]
MATERIALS += ["8413.91", "7616.99", "8536.90", "3923.10", "4819.10", "8501.31", "7307.99", "8482.10"]
DATE = "2026-07-01"

BASELINE = """
import sys, yaml
from pathlib import Path
from nearshore.origin.bom_io import bom_from_mapping
from nearshore.origin.determine import determine
import datetime as dt
on = dt.date.fromisoformat(sys.argv[2])
n = 0
for path in sorted(Path(sys.argv[1]).glob("*.yaml")):
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    n += determine(bom_from_mapping(data, str(path)), on).qualifies
print(n)
"""


RICH_TABLE = """
import sys
from nearshore.cli import table_text
from nearshore.cli.main import run
table_text.render = lambda *args: False  # every table through Rich, as before table_text
run(sys.argv[1:])
"""


RULE_BOOK = """
import json, time
from nearshore.origin.rules import build, index
start = time.perf_counter()
book = index.shipped_rules()
loaded = time.perf_counter() - start
start = time.perf_counter()
with open(build.SHIPPED, encoding="utf-8") as handle:
    json.load(handle)
print(json.dumps([loaded, time.perf_counter() - start, len(book.rules)]))
"""


def portfolio(count: int, lines: int, seed: int = 7) -> list[dict[str, Any]]:
    """`count` BOM documents as plain data, the shape of docs/examples/bom.yaml."""
    rng = random.Random(seed)
    boms = []
    for n in range(count):
        materials = [
            {
                "description": f"part {i}",
                "hs": rng.choice(MATERIALS),
                "origin": "MX" if rng.random() < 0.55 else "CN",
                "originating": rng.random() < 0.55,
                "value": round(rng.uniform(0.5, 40.0), 2),
            }
            for i in range(lines)
        ]
        total = sum(float(m["value"]) for m in materials)
        good = {
            "description": f"good {n}",
            "hs": rng.choice(GOODS),
            "country": "MX",
            "currency": "USD",
            "transaction_value": round(total * rng.uniform(1.3, 2.6), 2),
            "total_cost": round(total * rng.uniform(1.2, 2.2), 2),
        }
        boms.append({"id": f"bom-{n:05d}", "good": good, "materials": materials})
    return boms


def write_inputs(boms: list[dict[str, Any]], where: Path) -> tuple[Path, Path, Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq
    import yaml

    folder = where / "boms"
    folder.mkdir(parents=True, exist_ok=True)
    for bom in boms:
        body = {"good": bom["good"], "materials": bom["materials"]}
        (folder / f"{bom['id']}.yaml").write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
    jsonl = where / "boms.jsonl"
    jsonl.write_text("".join(json.dumps(b) + "\n" for b in boms), encoding="utf-8")
    parquet = where / "boms.parquet"
    pq.write_table(pa.Table.from_pylist(boms), parquet)  # one BOM a row: good a struct, materials a list of them
    return folder, jsonl, parquet


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


ROOT = Path(__file__).resolve().parents[1]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # an installed user's bytecode


def timed(argv: list[str]) -> tuple[float, float, str]:
    """Wall-clock seconds, CPU seconds of the process (a fairer figure on a shared, loaded machine), stdout."""
    start, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(argv, capture_output=True, text=True, check=False, env=ENV)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()[-400:]}")
    return elapsed, _children_cpu() - cpu, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1])
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--boms", type=int, default=10_000, help="BOMs in the portfolio (default 10,000)")
    parser.add_argument("--lines", type=int, default=20, help="material lines per BOM (default 20)")
    parser.add_argument("--keep", type=Path, help="write the inputs here and keep them (default: a temporary folder)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the pure-Python YAML baseline")
    parser.add_argument("--no-table", action="store_true", help="skip the --format table figure and its baseline")
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "nearshore", quiet=1)  # the bytecode an installed package has (untimed)
    print(f"load average before: {os.getloadavg()[0]:.2f} (1 min)")
    with tempfile.TemporaryDirectory() as tmp:
        where = args.keep or Path(tmp)
        folder, jsonl, parquet = write_inputs(portfolio(args.boms, args.lines), where)
        cli = [sys.executable, "-m", "nearshore", "origin", "batch"]
        figures: dict[str, tuple[float, float, str]] = {}
        for name, source in (("YAML folder", folder), ("JSON lines", jsonl), ("Parquet", parquet)):
            figures[name] = timed([*cli, str(source), "--date", DATE, "--format", "csv", "--quiet"])
        if not args.no_baseline:
            figures["baseline"] = timed([sys.executable, "-c", BASELINE, str(folder), DATE])
        tables = None if args.no_table else table_figures(jsonl)
    report(figures, args.boms, args.lines)
    if tables is not None:
        report_table(tables, args.boms)
    book, floor, count = json.loads(timed([sys.executable, "-c", RULE_BOOK])[2])
    print(
        f"rule book: {count:,} rules loaded in {book:.3f} s (target < 0.1 s: {'met' if book < 0.1 else 'NOT met'}); "
        f"json.load of the same file alone {floor:.3f} s, ratio {book / floor:.1f}"
    )
    print(f"load average after: {os.getloadavg()[0]:.2f} (1 min)")


def table_figures(jsonl: Path) -> dict[str, tuple[float, float, str]]:
    """The default table of the JSON-lines portfolio, with the table writer and with Rich alone."""
    argv = ["origin", "batch", str(jsonl), "--date", DATE, "--quiet"]
    return {
        "table": timed([sys.executable, "-m", "nearshore", *argv]),
        "Rich": timed([sys.executable, "-c", RICH_TABLE, *argv]),
    }


def report_table(figures: dict[str, tuple[float, float, str]], boms: int) -> None:
    (wall, cpu, text), (base, base_cpu, base_text) = figures["table"], figures["Rich"]
    print(f"origin batch, JSON lines, --format table (the default) through a pipe, {len(text.splitlines()):,} lines:")
    print(f"  table        {wall:6.2f} s wall, {cpu:6.2f} s CPU  ({boms / wall:,.0f} BOMs/s wall)")
    print(f"  baseline (the same command, the table laid out by Rich) {base:6.2f} s wall, {base_cpu:6.2f} s CPU")
    print(f"  {base / wall:.1f}x the baseline's speed ({base_cpu / cpu:.1f}x in CPU time)")
    print(f"  the same text byte for byte: {'yes' if text == base_text else 'NO'}")


def report(figures: dict[str, tuple[float, float, str]], boms: int, lines: int) -> None:
    answers = {
        name: sorted(row.replace(".yaml,", ",", 1) for row in out.splitlines()[1:])
        for name, (_, _, out) in figures.items()
        if name != "baseline"
    }
    agree = len({tuple(a) for a in answers.values()}) == 1
    print(f"origin batch, {boms:,} BOMs x {lines} lines, each a fresh process (start-up to exit):")
    for name, (seconds, cpu, _) in figures.items():
        print(f"  {name:<12} {seconds:6.2f} s wall, {cpu:6.2f} s CPU  ({boms / seconds:,.0f} BOMs/s wall)")
    if "baseline" in figures:
        base, base_cpu, out = figures["baseline"]
        mine = sum(1 for row in answers["YAML folder"] if ",True," in row)
        print(f"  baseline qualifies {int(out.strip() or 0):,}; origin batch {mine:,}")
        for name in answers:
            wall, cpu, _ = figures[name]
            print(f"  {name}: {base / wall:.1f}x the baseline's speed ({base_cpu / cpu:.1f}x in CPU time)")
    print(f"  the three inputs give the same rows: {'yes' if agree else 'NO'}")
    yaml_ok = figures["YAML folder"][0] < 20
    fast = min(figures["JSON lines"][0], figures["Parquet"][0]) < 3
    print(
        f"targets (wall): YAML folder < 20 s {'met' if yaml_ok else 'NOT met'}; JSON lines/Parquet < 3 s "
        f"{'met' if fast else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
