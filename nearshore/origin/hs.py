"""The HS codes a good can be declared under: well-formed (6 to 10 digits) and known 6-digit subheadings.

Normalising and printing codes is `nearshore.data.reference.hs` (one module for the whole package).

The known codes are derived from the USITC HTS 2025 basic edition (HS 2022 nomenclature) by `build_hs6`
and committed as `data/hs6.csv`; codes named in Part 6 of SOR/2020-155 (HS 2012) are accepted too.
"""

from __future__ import annotations

import csv
import functools
from importlib import resources
from pathlib import Path

from nearshore.data.reference.hs import is_valid, normalise
from nearshore.origin.automotive.tables import auto_tables


def is_wellformed(code: str) -> bool:
    """An HS code a good can be declared under: 6, 8 or 10 digits of chapters 01-97."""
    if not is_valid(code):
        return False
    digits = normalise(code)
    return len(digits) in (6, 8, 10) and 1 <= int(digits[:2]) <= 97


@functools.cache
def known_hs6() -> frozenset[str]:
    """Every 6-digit HS subheading nearshore knows (HS 2022 from HTS 2025, plus Part 6 table codes)."""
    text = resources.files("nearshore.origin").joinpath("data/hs6.csv").read_text(encoding="utf-8")
    rows = csv.reader(line for line in text.splitlines() if not line.startswith("#"))
    codes = {row[0] for row in rows if row and row[0] != "hs6"}
    codes.update(normalise(code)[:6] for table in auto_tables().values() for code in table)
    return frozenset(codes)


def is_known(code: str) -> bool:
    return is_wellformed(code) and normalise(code)[:6] in known_hs6()


def build_hs6(hts_csv: Path) -> list[str]:
    """The sorted 6-digit subheadings (chapters 01-97) of an HTS basic-edition CSV."""
    codes: set[str] = set()
    with hts_csv.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if is_wellformed(row["HTS Number"]):
                codes.add(normalise(row["HTS Number"])[:6])
    return sorted(codes)


def write_hs6(hts_csv: Path, target: Path) -> None:
    """Rebuild `data/hs6.csv` from the official HTS file (see data/README.md)."""
    lines = [
        f"# derived by nearshore.origin.hs.build_hs6 from {hts_csv.name} (USITC HTS 2025 basic edition)",
        "hs6",
        *build_hs6(hts_csv),
    ]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
