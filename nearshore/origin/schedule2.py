"""Criterion E: goods of Table 2.10.1 (SOR/2020-155 s. 3(7) and Schedule 2; 19 U.S.C. 4531(c)(1)(E)).

A good listed in Table 2.10.1 of the Agreement (computers, their units, parts and power supplies) is originating
when it is imported from the territory of a USMCA country, whatever its product-specific rule says and wherever its
materials come from (s. 3(9) Example 5: storage units of 8471.70 bought outside the region and resold). A BOM claims
it with `good.table_2_10_1: true`; the code is checked against the list, derived by `build_schedule2` from
Schedule 2 of the regulation into `data/table_2_10_1.csv`.

Schedule 2 prints Canadian codes: 6-digit subheadings, whole 8-digit items ending in 00, and Canadian tariff items
(8504.40.30, 8529.90.10 ...) or descriptions ("parts of LAN equipment of subheading 8517.62") that take part of a
subheading. The three countries share only the 6 digits, so a good's code is matched on its subheading; where
the list takes part of one, the test names what the good must be (the claim is the producer's statement that it
is that good).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from nearshore.data.reference.hs import dotted, normalise
from nearshore.origin.bom import Good
from nearshore.origin.derived import read_table, write_table
from nearshore.origin.result import Test

CITATION = "SOR/2020-155 s. 3(7), Schedule 2; 19 U.S.C. 4531(c)(1)(E)"
_CODE = re.compile(r"^\d{4}\.\d{2}(?:\.\d{2})?$")
_GROUP = re.compile(r"^[A-Z]$")


@dataclass(frozen=True)
class Listed:
    """One row of Schedule 2: the code as printed, its group and title, and the description that narrows it."""

    code: str  # digits, 6 or 8
    group: str
    title: str
    description: str = ""

    @property
    def whole_subheading(self) -> bool:
        """Listed as its whole 6-digit subheading (6 digits, or 8 ending in 00, with no narrowing description)."""
        return not self.description and (len(self.code) == 6 or self.code.endswith("00"))


def build_schedule2(regulation_txt: Path) -> list[Listed]:
    """Every code of Schedule 2 ("Goods Set Out in Table 2.10.1"), in order, with group, title and description."""
    lines = regulation_txt.read_text(encoding="utf-8").splitlines()
    start = lines.index("SCHEDULE 2")
    end = lines.index("SCHEDULE 3", start)
    rows: list[Listed] = []
    group = title = ""
    pending: list[str] = []
    expect_title = False
    for raw in lines[start + 1 : end]:
        line = raw.strip()
        if not line:
            continue
        if _GROUP.match(line):
            group, expect_title, pending = line, True, []
        elif expect_title:
            title, expect_title = line, False
        elif _CODE.match(line):
            pending.append(normalise(line))
        elif line.startswith("|") and pending:
            description = line.strip("| ").strip()
            rows.extend(Listed(code, group, title, description) for code in pending)
            pending = []
    return rows


def write_schedule2(regulation_txt: Path, target: Path) -> None:
    """Rebuild `data/table_2_10_1.csv` from the regulation text (see data/README.md)."""
    provenance = (
        f"derived by nearshore.origin.schedule2.build_schedule2 from {regulation_txt.name} (SOR/2020-155 "
        "Schedule 2: goods set out in Table 2.10.1; Canadian codes)"
    )
    rows = ((r.code, r.group, r.title, r.description) for r in build_schedule2(regulation_txt))
    write_table(target, provenance, ["code", "group", "title", "description"], rows)


@functools.cache
def table_2_10_1() -> tuple[Listed, ...]:
    rows = read_table("table_2_10_1.csv")
    return tuple(Listed(r["code"], r["group"], r["title"], r["description"]) for r in rows)


def listed_rows(hs: str) -> list[Listed]:
    """The rows of Table 2.10.1 in the 6-digit subheading of `hs`."""
    six = normalise(hs)[:6]
    return [r for r in table_2_10_1() if r.code[:6] == six]


def _scope(rows: list[Listed]) -> str:
    if any(r.whole_subheading for r in rows):
        return "the whole subheading"
    parts = sorted({r.description for r in rows if r.description})
    items = sorted(dotted(r.code) for r in rows if not r.description)
    said = "; ".join(parts + ([f"Canadian tariff items {', '.join(items)}"] if items else []))
    return f"only {said}: the claim states the good is such"


def table_test(good: Good) -> Test | None:
    """The Table 2.10.1 claim checked against the list (None when the BOM does not claim it)."""
    if not good.table_2_10_1:
        return None
    rows = listed_rows(good.hs)
    where = f"HS {dotted(good.hs)}"
    if not rows:
        groups = ", ".join(sorted({f"{r.group} {r.title}" for r in table_2_10_1()}))
        inputs = f"{where} is not in Table 2.10.1 (Schedule 2 lists {groups}): the claim does not apply"
        return Test("Table 2.10.1 good", CITATION, False, inputs=inputs)
    first = rows[0]
    inputs = (
        f"{where} is listed in Table 2.10.1 ({first.group} {first.title}; {_scope(rows)}); imported from "
        f"{good.country}, a USMCA country: originating whatever its product-specific rule"
    )
    return Test("Table 2.10.1 good", CITATION, True, inputs=inputs)


__all__ = ["Listed", "build_schedule2", "listed_rows", "table_2_10_1", "table_test", "write_schedule2"]
