"""Time loading the official files of every file source into an in-memory store, against a baseline doing the
same kind of work by hand, measured in the same run.

Per group of files: seconds for nearshore's load (read, every check of the source, store in one transaction)
and for the baseline (the plain csv module reads the same files, checks the key is unique and the value cells
are finite non-negative numbers, and stores the rows into an in-memory DuckDB table through Arrow), and their
ratio. Inside the timing: reading, checking, storing. Outside: imports, opening the stores.

    python -m benchmarks.load_sources                      # from the repository root; raw files in ../shared
    python -m benchmarks.load_sources --raw ../shared/data/raw --only census-hs2
"""

from __future__ import annotations

import argparse
import csv
import gzip
import math
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import duckdb
import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nearshore.data.sources import load_file  # noqa: E402
from nearshore.data.store import Store  # noqa: E402

DEFAULT_RAW = ROOT.parent / "shared" / "data" / "raw"
WORKBOOK = "usitc_dataweb_2024_grid_equipment_hts10/DataWeb-Query-Export_2024_imports_for_consumption.xlsx"


@dataclass(frozen=True)
class Group:
    """Files of one source, with the columns the baseline keys on ('a|b': whichever the file has) and checks as
    numbers."""

    label: str
    source: str
    pattern: str
    key: tuple[str, ...]
    numeric: tuple[str, ...]
    vintage: str | None = None


GROUPS = (
    Group(
        "census-country 2 files",
        "census-country",
        "census_country_trade/census_country_[xa]*.csv",
        ("year", "CTY_CODE|census_cty_code"),
        ("IJAN", "IYR", "EJAN", "EYR"),
        "2026-07",
    ),
    Group(
        "census-duties CSV",
        "census-duties",
        "census_duties_by_country/*.csv",
        ("year", "month", "census_cty_code"),
        ("calculated_duties_usd", "imports_for_consumption_customs_value_usd"),
    ),
    Group(
        "census-hs2 .csv.gz",
        "census-hs2",
        "census_imports_hs2_country_monthly/*.csv.gz",
        ("year", "month", "hs2", "cty_code"),
        ("gen_val_mo",),
        "2025-02",
    ),
    Group(
        "comtrade world_trade.csv",
        "comtrade",
        "un_comtrade_mexico_hs4/world_trade.csv",
        ("year", "SA_4", "imp_exp", "partner_code"),
        ("tradevalue",),
    ),
    Group(
        "dataweb 14 monthly CSVs",
        "dataweb",
        "usitc_dataweb_usmca_utilization/usmca_product_shares_????_??.csv",
        ("hts10", "cty_code"),
        ("total_value", "usmca_value", "usmca_share"),
    ),
    Group(
        "dataweb 2 annual CSVs",
        "dataweb",
        "usitc_dataweb_usmca_utilization/usmca_product_shares_????.csv",
        ("hts10", "cty_code"),
        ("usmca_share",),
    ),
    Group("hts 2025 basic CSV", "hts", "usitc_hts_2025/hts_2025_basic_edition.csv", ("HTS Number",), ()),
)


def _open(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", newline="", encoding="utf-8-sig")
    return path.open(newline="", encoding="utf-8-sig")


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with _open(path) as handle:
        yield from csv.DictReader(handle)


def _cell(row: dict[str, str], names: str) -> str:
    """The cell of the first of `names` ('a|b') the file has."""
    return next(row[name] for name in names.split("|") if name in row)


def baseline(group: Group, paths: list[Path]) -> tuple[float, int]:
    """Read, check (unique key, finite non-negative numbers) and store the rows with DuckDB: the hand-made load."""
    con = duckdb.connect()
    start = time.perf_counter()
    stored = 0
    for number, path in enumerate(paths):
        columns: dict[str, list[object]] = {}
        seen: set[tuple[str, ...]] = set()
        for row in _rows(path):
            key = tuple(_cell(row, c) for c in group.key)
            if all(key) and key in seen:  # HTS text lines have no number
                raise ValueError(f"{path}: duplicate key {key}")
            seen.add(key)
            for name in group.numeric:
                value = float(row[name])
                if not math.isfinite(value) or value < 0:
                    raise ValueError(f"{path}: bad {name} {row[name]!r}")
            for name, cell in row.items():
                columns.setdefault(name, []).append(cell)
        table = pa.table(columns)
        con.register("staged", table)
        con.execute(f"CREATE TABLE t{number} AS SELECT * FROM staged")
        con.unregister("staged")
        stored += table.num_rows
    seconds = time.perf_counter() - start
    con.close()
    return seconds, stored


def timed_load(source: str, paths: list[Path], vintage: str | None) -> tuple[float, int]:
    with Store(":memory:") as store:
        start = time.perf_counter()
        rows = sum(load_file(store, source, path, vintage=vintage).rows for path in paths)
        return time.perf_counter() - start, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="folder of the official files")
    parser.add_argument("--only", help="time one source only, e.g. census-hs2")
    args = parser.parse_args(argv)
    if not args.raw.is_dir():
        parser.error(f"no official files at {args.raw}; give --raw shared/data/raw")
    print(f"{'files':26} {'rows stored':>12} {'load s':>8} {'baseline s':>11} {'ratio':>6}")
    for group in GROUPS:
        if args.only and group.source != args.only:
            continue
        paths = sorted(args.raw.glob(group.pattern))
        if not paths:
            print(f"{group.label:26} (not found under {args.raw})")
            continue
        seconds, rows = timed_load(group.source, paths, group.vintage)
        base, _ = baseline(group, paths)
        print(f"{group.label:26} {rows:>12,} {seconds:>8.2f} {base:>11.2f} {seconds / base:>6.1f}")
    if not args.only or args.only == "dataweb":
        seconds, rows = timed_load("dataweb", [args.raw / WORKBOOK], None)
        print(f"{'dataweb Query Export xlsx':26} {rows:>12,} {seconds:>8.2f} {'-':>11} {'-':>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
