"""Time loading the official files of the dataweb, census-duties and comtrade sources into an in-memory store.

Prints, per group of files, seconds for parse + store and the ratio to a baseline run in the same script:
reading the same CSV files with the plain csv module and converting the numeric cells with float() (no
validation, no store). Run from the repository root: python -m benchmarks.load_sources [shared/data/raw]
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

from nearshore.data.sources import census_duties, comtrade, dataweb
from nearshore.data.store import Store

DEFAULT_RAW = Path(__file__).resolve().parents[2] / "shared" / "data" / "raw"
RAW = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_RAW
WORKBOOK = "usitc_dataweb_2024_grid_equipment_hts10/DataWeb-Query-Export_2024_imports_for_consumption.xlsx"


def baseline(paths: list[Path], numeric: tuple[str, ...]) -> float:
    start = time.perf_counter()
    for path in paths:
        with path.open(newline="") as handle:
            for row in csv.DictReader(handle):
                for name in numeric:
                    float(row[name])
    return time.perf_counter() - start


def timed_load(module: object, paths: list[Path]) -> tuple[float, int]:
    rows = 0
    start = time.perf_counter()
    with Store(":memory:") as store:
        for path in paths:
            rows += module.load(store, path).rows  # type: ignore[attr-defined]
    return time.perf_counter() - start, rows


def main() -> None:
    folder = RAW / "usitc_dataweb_usmca_utilization"
    groups = [
        (
            "dataweb 14 monthly CSVs",
            dataweb,
            sorted(folder.glob("usmca_product_shares_????_??.csv")),
            ("total_value", "usmca_value", "usmca_share"),
        ),
        ("dataweb 2 annual CSVs", dataweb, sorted(folder.glob("usmca_product_shares_????.csv")), ("usmca_share",)),
        (
            "census-duties CSV",
            census_duties,
            sorted((RAW / "census_duties_by_country").glob("*.csv")),
            ("calculated_duties_usd", "imports_for_consumption_customs_value_usd"),
        ),
        ("comtrade world_trade.csv", comtrade, [RAW / "un_comtrade_mexico_hs4" / "world_trade.csv"], ("tradevalue",)),
    ]
    print(f"{'files':28} {'rows stored':>12} {'load s':>8} {'csv s':>8} {'ratio':>6}")
    for label, module, paths, numeric in groups:
        seconds, rows = timed_load(module, paths)
        base = baseline(paths, numeric)
        print(f"{label:28} {rows:>12,} {seconds:>8.2f} {base:>8.2f} {seconds / base:>6.1f}")
    seconds, rows = timed_load(dataweb, [RAW / WORKBOOK])
    print(f"{'dataweb Query Export xlsx':28} {rows:>12,} {seconds:>8.2f} {'-':>8} {'-':>6}")


if __name__ == "__main__":
    main()
