"""Tables F and G of Part 6 of SOR/2020-155 (parts, components and materials for "other vehicles", s. 20),
derived from the regulation text.

Table F rows name a heading (`40.09`), a subheading (`8413.30`), a national split of one (`4010.39.aa`, kept as
an "ex" row of the subheading: only the goods described), a range (`8482.10 through 8482.80`) or a list
(`8507.20.aa, 8507.30.aa ... and 8507.80.aa`). Table G names two components (engines of heading 84.07 or 84.08;
gear boxes of subheading 8708.40) and their materials in words. `write_other_tables` writes the committed
`data/auto_tables_fg.csv`.
"""

from __future__ import annotations

import csv
import functools
import re
from importlib import resources
from pathlib import Path

from nearshore.data.reference.hs import normalise
from nearshore.origin.derived import write_table
from nearshore.origin.hs import known_hs6

_CODE = r"\d{2}\.\d{2}(?:\.[a-z]{2})?|\d{4}\.\d{2}(?:\.[a-z]{2})?"
_F_ROW = re.compile(rf"^(ex )?((?:{_CODE})(?:(?:, | and | through )(?:{_CODE}))*) \| (.+?) \|$")
_G_COMPONENT = re.compile(r"^\[Component: (.+?) provided for in (heading|subheading) (.+?)\]$")


def _codes(spec: str) -> list[tuple[str, bool]]:
    """(digits, ex) for each code of a Table F row: a heading gives 4 digits, a subheading 6."""
    if " through " in spec:
        low, high = (part.replace(".", "") for part in spec.split(" through "))
        return [(six, False) for six in sorted(known_hs6()) if low <= six <= high]
    out = []
    for part in re.split(r", | and ", spec):
        pieces = part.split(".")
        digits = "".join(pieces[:2])
        out.append((digits, len(pieces) == 3))  # a national split (.aa) covers only the goods described
    return out


def build_table_f(regulation_txt: Path) -> list[tuple[str, bool, str]]:
    """(code, ex, description) for every row of Table F (code: 4-digit heading or 6-digit subheading)."""
    rows: list[tuple[str, bool, str]] = []
    inside = False
    for line in regulation_txt.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("TABLE "):
            inside = stripped == "TABLE F"
            continue
        match = _F_ROW.match(stripped)
        if inside and match:
            for code, split in _codes(match.group(2)):
                rows.append((code, bool(match.group(1)) or split, match.group(3)))
    return rows


def build_table_g(regulation_txt: Path) -> list[tuple[str, str, str]]:
    """(component codes, transmission kind or '', material) for every material named in Table G."""
    rows: list[tuple[str, str, str]] = []
    inside = False
    codes = ""
    for line in regulation_txt.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("TABLE "):
            inside = stripped == "TABLE G"
            continue
        if not inside:
            continue
        component = _G_COMPONENT.match(stripped)
        if component:
            codes = " ".join(re.findall(r"\d{2}\.\d{2}|\d{4}\.\d{2}", component.group(3))).replace(".", "")
            continue
        kind = ""
        text = stripped
        typed = re.match(r"^\(\w\) for (.+?) - (.+?)(?:; and)?$", stripped)
        if typed:
            kind, text = typed.group(1), typed.group(2)
        elif stripped.startswith("Materials: "):
            text = stripped.removeprefix("Materials: ")
        else:
            continue
        for item in re.split(r", and |; and |, |; ", text.rstrip(".")):
            item = item.strip().removeprefix("and ").strip()
            if item:
                rows.append((codes, kind, item))
    return rows


def write_other_tables(regulation_txt: Path, target: Path) -> None:
    """Write Tables F and G as one CSV (column `table`) with a provenance header."""
    provenance = (
        "derived by nearshore.origin.automotive.other_tables.build_table_f/build_table_g from "
        f"{regulation_txt.name} (SOR/2020-155, Part 6 Tables F and G; HS 2012 codes)"
    )
    rows = [
        *(["F", code, "1" if ex else "0", "", description] for code, ex, description in build_table_f(regulation_txt)),
        *(["G", codes, "0", kind, material] for codes, kind, material in build_table_g(regulation_txt)),
    ]
    write_table(target, provenance, ["table", "code", "ex", "kind", "description"], rows)


TableF = dict[str, tuple[str, bool]]
TableG = tuple[tuple[tuple[str, ...], str, str], ...]


@functools.cache
def _load() -> tuple[TableF, TableG]:
    text = resources.files("nearshore.origin").joinpath("data/auto_tables_fg.csv").read_text(encoding="utf-8")
    rows_f: TableF = {}
    rows_g: list[tuple[tuple[str, ...], str, str]] = []
    for row in csv.DictReader(line for line in text.splitlines() if not line.startswith("#")):
        if row["table"] == "F":
            before = rows_f.get(row["code"])  # a code on several rows (two ranges of 8407.34) is joined
            description = f"{before[0]} / {row['description']}" if before else row["description"]
            rows_f[row["code"]] = (description, row["ex"] == "1" and (before is None or before[1]))
        else:
            rows_g.append((tuple(row["code"].split()), row["kind"], row["description"]))
    return rows_f, tuple(rows_g)


def table_f() -> TableF:
    """Table F: hs6 or heading -> (description, ex), from the committed `data/auto_tables_fg.csv` (read once)."""
    return _load()[0]


def table_g() -> TableG:
    """Table G: (component codes, kind, material) rows, from the committed `data/auto_tables_fg.csv`."""
    return _load()[1]


def table_f_row(hs: str | None) -> tuple[str, str, bool] | None:
    """(code, description, ex) of the Table F row covering `hs` (by subheading, else heading), or None."""
    if not hs:
        return None
    hs = normalise(hs)
    for code in (hs[:6], hs[:4]):
        if code in table_f():
            description, ex = table_f()[code]
            return code, description, ex
    return None


def table_g_component(hs: str) -> tuple[str, ...] | None:
    """The Table G component codes that cover `hs` (an engine of 84.07/84.08, a gear box of 8708.40)."""
    hs = normalise(hs)
    for codes, _, _ in table_g():
        if any(hs.startswith(code) for code in codes):
            return codes
    return None


def table_g_material(component_hs: str, description: str) -> str | None:
    """The Table G material of the component `component_hs` that `description` names (whole words,
    case-insensitive), or None."""
    component_hs = normalise(component_hs)
    words = f" {_singular(description)} "
    for codes, _, material in table_g():
        if not any(component_hs.startswith(code) for code in codes):
            continue
        for name in re.split(r"/| or | and ", re.sub(r"\(.*?\)", "", material.lower())):
            key = _singular(name)
            if key and f" {key} " in words:
                return material
    return None


def _singular(text: str) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    return " ".join(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words)
