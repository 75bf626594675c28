"""The text forms of gravity inputs (as typed on the command line or written in a scenario file), parsed with
errors that show the expected form.

    years     "1986-2006/4" (every fourth year), "1986-2006", "1986,1990,1994"
    --set     "rta=0:USA,CAN,MEX"      a trade-cost variable set for every pair among the countries
    --cost    "CHN>USA:25"             the cost of CHN's goods in USA up 25 percent
    --tariff  "CHN>USA:25"             USA's tariff on goods from CHN up 25 percentage points
    --beta    "lndist=-0.39"           a trade-cost coefficient
    betas     a CSV file with columns variable,coefficient
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Sequence
from pathlib import Path

from nearshore.data.sources.base import require_file
from nearshore.errors import InputError
from nearshore.scenarios.gravity.changes import CostChange, SetVariable, TariffChange

_YEARS = re.compile(r"^(\d{4})\s*-\s*(\d{4})(?:\s*/\s*(\d+))?$")
_SET = re.compile(r"^([A-Za-z_][\w.]*)\s*=\s*([^:]+):(.+)$")
_BILATERAL = re.compile(r"^\s*([A-Za-z]{3})\s*>\s*([A-Za-z]{3})\s*:\s*([-+]?[\d.]+(?:[eE][-+]?\d+)?)\s*%?\s*$")
_BETA = re.compile(r"^([A-Za-z_(][\w.()]*)\s*=\s*(.+)$")


def parse_years(text: str) -> tuple[int, ...]:
    """'1986-2006/4' -> (1986, 1990, ..., 2006); '1986,1990' -> (1986, 1990)."""
    text = text.strip()
    match = _YEARS.match(text)
    if match:
        start, end, step = int(match[1]), int(match[2]), int(match[3] or 1)
        if end < start or step < 1:
            raise InputError(f"--years {text!r}: the span runs backwards or the step is < 1")
        return tuple(range(start, end + 1, step))
    try:
        years = tuple(sorted({int(part) for part in text.split(",") if part.strip()}))
    except ValueError:
        raise InputError(f"--years {text!r}: write '1986-2006/4', '1986-2006' or '1986,1990,1994'") from None
    if not years:
        raise InputError("--years is empty: write '1986-2006/4', '1986-2006' or '1986,1990,1994'")
    return years


def parse_set(text: str) -> SetVariable:
    """'rta=0:USA,CAN,MEX'."""
    match = _SET.match(text.strip())
    if not match:
        raise InputError(f"--set {text!r}: write VARIABLE=VALUE:ISO,ISO,... e.g. 'rta=0:USA,CAN,MEX'")
    value = _number(match[2], f"--set {text!r}")
    countries = tuple(c.strip().upper() for c in match[3].split(",") if c.strip())
    return SetVariable(match[1], value, countries)


def parse_cost(text: str) -> CostChange:
    exporter, importer, value = _bilateral(text, "--cost", "'CHN>USA:25' (the cost of CHN's goods in USA +25%)")
    return CostChange(exporter, importer, value)


def parse_tariff(text: str) -> TariffChange:
    exporter, importer, value = _bilateral(text, "--tariff", "'CHN>USA:25' (USA's tariff on goods from CHN +25 pp)")
    return TariffChange(exporter, importer, value)


def parse_betas(items: Sequence[str]) -> dict[str, float]:
    """'lndist=-0.39' items -> {'lndist': -0.39}."""
    betas: dict[str, float] = {}
    for item in items:
        match = _BETA.match(item.strip())
        if not match:
            raise InputError(f"--beta {item!r}: write VARIABLE=COEFFICIENT, e.g. 'lndist=-0.39'")
        betas[match[1]] = _number(match[2], f"--beta {item!r}")
    return betas


def read_betas(path: Path) -> dict[str, float]:
    """A CSV file with columns variable,coefficient (other columns, e.g. a standard error, are ignored)."""
    require_file(path)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fields = [f.strip() for f in reader.fieldnames or []]
        if "variable" not in fields or "coefficient" not in fields:
            raise InputError(f"{path}: needs columns 'variable' and 'coefficient'; it has {', '.join(fields)}")
        betas: dict[str, float] = {}
        for row in reader:
            name = (row.get("variable") or "").strip()
            where = f"{path}, row {reader.line_num}, column 'coefficient'"
            betas[name] = _number(row.get("coefficient") or "", where)
    if not betas:
        raise InputError(f"{path}: no coefficients (one row per variable: variable,coefficient)")
    return betas


def _bilateral(text: str, option: str, example: str) -> tuple[str, str, float]:
    match = _BILATERAL.match(text)
    if not match:
        raise InputError(f"{option} {text!r}: write EXPORTER>IMPORTER:PERCENT, e.g. {example}")
    return match[1].upper(), match[2].upper(), _number(match[3], f"{option} {text!r}")


def _number(text: str, where: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise InputError(f"{where}: {text.strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"{where}: {text.strip()!r} is not a finite number")
    return value


__all__ = ["parse_betas", "parse_cost", "parse_set", "parse_tariff", "parse_years", "read_betas"]
