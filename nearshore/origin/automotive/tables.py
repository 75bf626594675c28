"""Tables A.1, B, C, D and E of Part 6 of SOR/2020-155 (HS 2012 codes), derived from the regulation text.

`build_auto_tables` reads `SOR-2020-155.txt` (rows `code | description |` under each `TABLE X` heading) and
`write_auto_tables` writes the committed `data/auto_tables.csv`. An "ex" code covers only the goods described.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from nearshore.data.reference.hs import normalise
from nearshore.origin.derived import read_table, write_table

TABLE_NAMES = {
    "A.1": "Core parts for passenger vehicles and light trucks",
    "B": "Principal parts for passenger vehicles and light trucks",
    "C": "Complementary parts for passenger vehicles and light trucks",
    "D": "Principal parts for heavy trucks",
    "E": "Complementary parts for heavy trucks",
}
_ROW = re.compile(r"^(ex )?(\d{4}\.\d{2}) \| (.+?) \|$")


@functools.cache
def auto_tables() -> dict[str, dict[str, tuple[str, bool]]]:
    """Table name -> {hs6: (description, ex)} from the committed `data/auto_tables.csv` (read on first use)."""
    tables: dict[str, dict[str, tuple[str, bool]]] = {name: {} for name in TABLE_NAMES}
    for row in read_table("auto_tables.csv"):
        tables[row["table"]][row["hs6"]] = (row["description"], row["ex"] == "1")
    return tables


def tables_of(hs: str) -> list[str]:
    """The Part 6 tables ('A.1', 'B', ...) that list the 6-digit subheading of `hs`."""
    six = normalise(hs)[:6]
    return [name for name, rows in auto_tables().items() if six in rows]


def build_auto_tables(regulation_txt: Path) -> list[tuple[str, str, bool, str]]:
    """(table, hs6, ex, description) for every row of Tables A.1, B, C, D and E."""
    rows: list[tuple[str, str, bool, str]] = []
    current: str | None = None
    for line in regulation_txt.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^TABLE (\S+)$", line.strip())
        if heading:
            current = heading.group(1) if heading.group(1) in TABLE_NAMES else None
            continue
        match = _ROW.match(line.strip())
        if current and match:
            rows.append((current, normalise(match.group(2)), bool(match.group(1)), match.group(3)))
    return rows


def write_auto_tables(regulation_txt: Path, target: Path) -> None:
    provenance = (
        f"derived by nearshore.origin.automotive.tables.build_auto_tables from {regulation_txt.name} "
        "(SOR/2020-155, Part 6 Tables A.1-E)"
    )
    rows = ((t, hs6, "1" if ex else "0", d) for t, hs6, ex, d in build_auto_tables(regulation_txt))
    write_table(target, provenance, ["table", "hs6", "ex", "description"], rows)
