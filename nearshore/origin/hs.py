"""HS codes: normalising, levels (chapter / heading / subheading) and the list of known 6-digit codes.

The known codes are derived from the USITC HTS 2025 basic edition (HS 2022 nomenclature) by `build_hs6`
and committed as `data/hs6.csv`; codes named in Part 6 of SOR/2020-155 (HS 2012) are accepted too.
"""

from __future__ import annotations

import csv
import functools
import re
from importlib import resources
from pathlib import Path
from typing import Literal

Level = Literal["chapter", "heading", "subheading"]
LEVELS: tuple[Level, ...] = ("chapter", "heading", "subheading")
_DIGITS = {"chapter": 2, "heading": 4, "subheading": 6}
_CLEAN = re.compile(r"[.\s-]")


def normalise(code: str) -> str:
    """'8708.29' / '8708.29.50' / '870829' -> digits only ('870829', '87082950')."""
    return _CLEAN.sub("", str(code).strip())


def is_wellformed(code: str) -> bool:
    digits = normalise(code)
    return digits.isdigit() and len(digits) in (6, 8, 10) and 1 <= int(digits[:2]) <= 97


def level_of(code: str, level: Level) -> str:
    """The chapter (2 digits), heading (4) or subheading (6) a code falls in."""
    return normalise(code)[: _DIGITS[level]]


def chapter(code: str) -> int:
    return int(normalise(code)[:2])


def dotted(code: str) -> str:
    """'870829' -> '8708.29'; '8708' -> '87.08'; longer codes keep the subheading dot."""
    digits = normalise(code)
    if len(digits) == 2:
        return digits
    if len(digits) == 4:
        return f"{digits[:2]}.{digits[2:]}"
    return f"{digits[:4]}.{digits[4:6]}" + (f".{digits[6:]}" if len(digits) > 6 else "")


@functools.cache
def known_hs6() -> frozenset[str]:
    """Every 6-digit HS subheading nearshore knows (HS 2022 from HTS 2025, plus Part 6 table codes)."""
    text = resources.files("nearshore.origin").joinpath("data/hs6.csv").read_text(encoding="utf-8")
    rows = csv.reader(line for line in text.splitlines() if not line.startswith("#"))
    codes = {row[0] for row in rows if row and row[0] != "hs6"}
    from nearshore.origin.automotive.tables import AUTO_TABLES

    codes.update(normalise(code)[:6] for table in AUTO_TABLES.values() for code in table)
    return frozenset(codes)


def is_known(code: str) -> bool:
    return is_wellformed(code) and normalise(code)[:6] in known_hs6()


def build_hs6(hts_csv: Path) -> list[str]:
    """The sorted 6-digit subheadings (chapters 01-97) of an HTS basic-edition CSV."""
    codes: set[str] = set()
    with hts_csv.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            digits = normalise(row["HTS Number"])
            if len(digits) >= 6 and digits.isdigit() and 1 <= int(digits[:2]) <= 97:
                codes.add(digits[:6])
    return sorted(codes)


def write_hs6(hts_csv: Path, target: Path) -> None:
    """Rebuild `data/hs6.csv` from the official HTS file (see data/README.md)."""
    lines = [
        f"# derived by nearshore.origin.hs.build_hs6 from {hts_csv.name} (USITC HTS 2025 basic edition)",
        "hs6",
        *build_hs6(hts_csv),
    ]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
