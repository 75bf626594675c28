"""The elasticities the PE model uses: a shipped, cited table by HS chapter, SMART's defaults where it has no value,
and a user's CSV over both.

The shipped table (`elasticities.csv`, built by `build_table` from the published estimates):

- import demand: the median, over the HS6 products of each chapter, of the U.S. own-price import demand
  elasticities of Hauk (2012), "U.S. import and export elasticities: a panel data approach", Empirical Economics
  (2012), 1978-2001 data, HS6 level (file `imports/hs6imports/hs6elasticities.dta`), keeping the estimates of the
  right sign significant at 5% (`positive == 1`, `sigat5per == 1`); stored negative (SMART's sign);
- substitution between partners: the median of the implied elasticities of substitution among import varieties
  of the same paper (file `imports/hs6imports/hs6substitution2.dta`, 1989-2001), keeping those above 1;
- the row `*`: the same medians over every product, used for a chapter the table lacks.

The export supply elasticity is SMART's default, 99 (practically infinite), unless a CSV gives another; a
chapter without a substitution estimate takes SMART's default 1.5.

A user's CSV (`code,import_demand,substitution,export_supply`, any column may be blank) gives values by HS prefix
(2 to 10 digits, or `*` for every product); the longest prefix wins, and a blank falls back to the shipped value.
"""

from __future__ import annotations

import csv
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np

from nearshore.data.sources.base import require_file
from nearshore.errors import Problem, ValidationFailed
from nearshore.scenarios.pe.model import Parameters

TABLE: Final = Path(__file__).with_name("elasticities.csv")
SOURCE: Final = (
    "Hauk (2012), U.S. import and export elasticities: a panel data approach, Empirical Economics; "
    "chapter medians of its HS6 estimates (nearshore/scenarios/pe/elasticities.csv)"
)
SMART_SUBSTITUTION: Final = 1.5
SMART_EXPORT_SUPPLY: Final = 99.0
SMART_SOURCE: Final = "WITS SMART default (Jammes & Olarreaga 2005; WITS SMART user manual)"
KINDS: Final = ("import_demand", "substitution", "export_supply")
COLUMNS: Final = ("code", *KINDS)


@dataclass(frozen=True)
class Value:
    """One elasticity and where it comes from."""

    value: float
    source: str
    where: str = ""  # the code, chapter or "all products" the value is given for


@dataclass(frozen=True)
class Choice:
    """The three elasticities of one product, each with its source."""

    import_demand: Value
    substitution: Value
    export_supply: Value

    def key(self) -> tuple[float, float, float]:
        return (self.import_demand.value, self.substitution.value, self.export_supply.value)


@dataclass(frozen=True)
class Table:
    """Values by HS prefix for each kind; `sources` names where each prefix's values come from."""

    values: dict[str, dict[str, float]]
    source: str

    @functools.cached_property
    def sizes(self) -> tuple[int, ...]:
        """The prefix lengths the table has, longest first."""
        return tuple(sorted({len(code) for code in self.values if code != "*"}, reverse=True))

    def lookup(self, code: str, kind: str) -> tuple[str, float] | None:
        """(prefix, value) of the longest prefix of `code` with a value of `kind`, or the `*` row, or None."""
        for size in self.sizes:
            row = self.values.get(code[:size]) if size <= len(code) else None
            if row is not None and kind in row:
                return code[:size], row[kind]
        row = self.values.get("*")
        if row is not None and kind in row:
            return "*", row[kind]
        return None


@functools.cache
def shipped() -> Table:
    """The shipped table by HS chapter (`elasticities.csv`)."""
    return read_table(TABLE, source=SOURCE)


def read_table(path: Path, *, source: str | None = None) -> Table:
    """A CSV of elasticities by HS prefix, every value checked (sign, range), every problem reported."""
    require_file(path)
    name = str(path)
    problems: list[Problem] = []
    values: dict[str, dict[str, float]] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        reader = csv.DictReader(lines)
        header = [h.strip() for h in reader.fieldnames or []]
        missing = [c for c in COLUMNS[:1] if c not in header]
        unknown = [c for c in header if c not in COLUMNS and c not in ("import_demand_n", "substitution_n", "note")]
        if missing or unknown or not set(KINDS) & set(header):
            fix = f"the columns are {', '.join(COLUMNS)} (any of the last three may be blank)"
            raise ValidationFailed(
                [Problem(name, 1, None, ",".join(header), "wrong columns", fix)], outcome="nothing was simulated"
            )
        for row in reader:
            _row(name, reader.line_num, row, values, problems)
    if problems:
        raise ValidationFailed(problems, outcome="nothing was simulated")
    return Table(values, source or f"file {path}")


def _row(
    name: str, line: int, row: dict[str, str], values: dict[str, dict[str, float]], problems: list[Problem]
) -> None:
    code = (row.get("code") or "").strip().replace(".", "")
    if code != "*" and not (code.isdigit() and 2 <= len(code) <= 10):
        problems.append(Problem(name, line, "code", code, "is not an HS prefix", "write 2 to 10 digits, or * for all"))
        return
    if code in values:
        problems.append(Problem(name, line, "code", code, "is given twice", "keep one row per code"))
        return
    parsed: dict[str, float] = {}
    for kind in KINDS:
        text = (row.get(kind) or "").strip()
        if not text:
            continue
        problem = _check(kind, text)
        if problem:
            problems.append(Problem(name, line, kind, text, *problem))
        else:
            parsed[kind] = float(text)
    values[code] = parsed


def _check(kind: str, text: str) -> tuple[str, str] | None:
    """(message, fix) when `text` is not a valid elasticity of `kind`."""
    try:
        value = float(text)
    except ValueError:
        return "is not a number", "write a plain number, e.g. -1.25"
    if math.isnan(value) or (math.isinf(value) and kind != "export_supply"):
        return "is not a finite number", "write a plain number"
    if kind == "import_demand" and not value < 0:
        return (
            "has the wrong sign: an import demand elasticity is negative",
            "write it negative (SMART's convention), e.g. -1.25",
        )
    if kind != "import_demand" and not value > 0:
        what = "substitution" if kind == "substitution" else "export supply"
        return f"has the wrong sign: the {what} elasticity is positive", "write a number above 0 (inf for infinite)"
    return None


def choose(codes: Sequence[str], override: Table | None = None) -> list[Choice]:
    """The elasticities of each product code: the user's CSV first, then the shipped table, then SMART's defaults
    (one `Choice` object per distinct set of sources)."""
    table = shipped()
    made: dict[tuple[tuple[str, str], ...], Choice] = {}
    out = []
    for code in codes:
        key = tuple(_where(code, kind, table, override) for kind in KINDS)
        choice = made.get(key)
        if choice is None:
            choice = made[key] = Choice(
                *(_value(kind, where, table, override) for kind, where in zip(KINDS, key, strict=True))
            )
        out.append(choice)
    return out


def _where(code: str, kind: str, table: Table, override: Table | None) -> tuple[str, str]:
    """Which table gives `code` its `kind` elasticity ("override", "shipped" or "default") and at which prefix."""
    found = override.lookup(code, kind) if override is not None else None
    if found is not None:
        return "override", found[0]
    found = table.lookup(code, kind) if kind != "export_supply" else None
    if found is not None:
        return "shipped", found[0]
    return "default", ""


def _value(kind: str, where: tuple[str, str], table: Table, override: Table | None) -> Value:
    origin, prefix = where
    if origin == "override" and override is not None:
        return Value(override.values[prefix][kind], override.source, f"code {prefix}")
    if origin == "shipped":
        place = "all products" if prefix == "*" else f"chapter {prefix}"
        return Value(table.values[prefix][kind], "Hauk (2012), median of its HS6 estimates", place)
    return Value(SMART_SUBSTITUTION if kind == "substitution" else SMART_EXPORT_SUPPLY, SMART_SOURCE)


def parameters(choices: Sequence[Choice]) -> Parameters:
    """The model's per-product arrays."""
    return Parameters(
        np.array([c.import_demand.value for c in choices], dtype=np.float64),
        np.array([c.substitution.value for c in choices], dtype=np.float64),
        np.array([c.export_supply.value for c in choices], dtype=np.float64),
    )


def build_table(folder: Path, target: Path = TABLE) -> int:
    """Rebuild `elasticities.csv` from the published files (the `imports/hs6imports` folder of
    github.com/BillHauk/tradeelasticityestimates); needs pandas. Returns the rows written."""
    import pandas as pd

    demand = pd.read_stata(folder / "hs6elasticities.dta")
    demand = demand[(demand["positive"] == 1) & (demand["sigat5per"] == 1)]
    substitution = pd.read_stata(folder / "hs6substitution2.dta")
    substitution = substitution[substitution["impliedsigma"] > 1]
    demand = demand.assign(hs2=(demand["hs6"].astype(int) // 10000).map("{:02d}".format))
    substitution = substitution.assign(hs2=(substitution["hs6"].astype(int) // 10000).map("{:02d}".format))
    d = demand.groupby("hs2")["impliedelasticity"].agg(["median", "count"])
    s = substitution.groupby("hs2")["impliedsigma"].agg(["median", "count"])
    rows = [
        [
            "*",
            -demand["impliedelasticity"].median(),
            len(demand),
            substitution["impliedsigma"].median(),
            len(substitution),
        ]
    ]
    for chapter in sorted(set(d.index) | set(s.index)):
        rows.append(
            [
                chapter,
                -d.loc[chapter, "median"] if chapter in d.index else "",
                int(d.loc[chapter, "count"]) if chapter in d.index else 0,
                s.loc[chapter, "median"] if chapter in s.index else "",
                int(s.loc[chapter, "count"]) if chapter in s.index else 0,
            ]
        )
    with target.open("w", newline="", encoding="utf-8") as handle:
        handle.write(_HEADER)
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "import_demand", "import_demand_n", "substitution", "substitution_n"])
        for row in rows:
            writer.writerow([v if isinstance(v, (str, int)) else f"{float(v):.4f}" for v in row])
    return len(rows)


_HEADER: Final = (
    "# U.S. import elasticities by HS chapter, built by nearshore.scenarios.pe.elasticities.build_table from\n"
    "# Hauk (2012), U.S. import and export elasticities: a panel data approach, Empirical Economics\n"
    "# (DOI 10.1007/s00181-011-0456-1); the author's files github.com/BillHauk/tradeelasticityestimates, commit\n"
    "# 29d8325232203968ad8d4d6d1bf63ecff0fd6a26, imports/hs6imports/hs6elasticities.dta and hs6substitution2.dta.\n"
    "# import_demand: -median of impliedelasticity over the chapter's HS6 estimates with positive == 1 and\n"
    "# sigat5per == 1 (right sign, significant at 5%), 1978-2001; substitution: median impliedsigma over those > 1,\n"
    "# 1989-2001; *_n: estimates used. Row *: medians over all products.\n"
)

__all__ = [
    "KINDS",
    "SMART_EXPORT_SUPPLY",
    "SMART_SUBSTITUTION",
    "Choice",
    "Table",
    "Value",
    "build_table",
    "choose",
    "parameters",
    "read_table",
    "shipped",
]
