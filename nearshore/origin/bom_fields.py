"""Field checks for BOM documents: each converts one raw value or fails with a located problem.

`Checker` collects every problem of one file. A section of a BOM is described once, as a table of `Field`s
(the key in the document, how its value is read, the attribute it fills); `read_fields` reads a section by its
table and refuses keys the table does not name. `vehicle_section` and `rule_section` read the optional
`vehicle:` and `rule:` sections (docs/origin.md has the schema).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from nearshore.data.reference.hs import is_valid, normalise
from nearshore.errors import Problem
from nearshore.origin import hs as hscodes
from nearshore.origin.bom import (
    METHODS,
    VEHICLE_CLASSES,
    AlternativeStaging,
    CorePart,
    LabourValue,
    Purchase,
    RuleOverride,
    Vehicle,
)

LINE = "__line__"
SHIFT_LEVELS: tuple[Literal["chapter", "heading", "subheading", "none"], ...] = (
    "chapter",
    "heading",
    "subheading",
    "none",
)
# No value of a bill of materials comes near this (in any currency); a larger one is a typo or an attack.
LIMIT = 1e15
# A number as a person writes it: ASCII digits, one point, an exponent (not '1_000', '12,3' or other scripts).
_PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")


def plain_number(value: object) -> float | None:
    """A YAML/JSON number, or a text of ASCII digits; None for anything else (true, '1_000', '١٢', a list).
    Infinite and NaN values come back as they are, for the caller to refuse with its own message."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    if isinstance(value, int):
        return float(value) if abs(value) < 10**300 else math.inf  # a 310-digit integer is no amount
    if isinstance(value, float):
        return value
    text = value.strip()
    if text.lower() in ("nan", "inf", "-inf", "+inf", "infinity", "-infinity", ".nan", ".inf", "-.inf"):
        return math.nan
    return float(text) if _PLAIN.fullmatch(text) else None


def _shown(value: object) -> str:
    """A value for a message: at most 40 characters."""
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


class Checker:
    """Collects problems while converting raw fields of one file."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, line: int | None, field: str, value: object, message: str, fix: str = "") -> None:
        shown = None if value is None else str(value)
        self.problems.append(Problem(self.source, line, field, shown, message, fix))

    def number(
        self,
        raw: Mapping[str, Any],
        key: str,
        line: int | None,
        field: str,
        *,
        required: bool = False,
        positive: bool = False,
    ) -> float | None:
        value = raw.get(key)
        if value is None or value == "":
            if required:
                self.add(line, field, None, "is missing", f"give {key} as a number")
            return None
        number = plain_number(value)
        if number is None:
            self.add(line, field, _shown(value), "is not a number", f"write {key} as a plain number, e.g. 12.50")
            return None
        if not math.isfinite(number) or abs(number) > LIMIT:
            fix = f"give {key} as an amount below {LIMIT:,.0f} in the BOM's currency"
            self.add(line, field, _shown(value), "is not a finite amount", fix)
            return None
        if number < 0:
            self.add(line, field, value, "is negative", f"{key} must be zero or more")
            return None
        if positive and number == 0:
            self.add(line, field, value, "is zero", f"{key} must be more than zero")
            return None
        return number

    def flag(self, raw: Mapping[str, Any], key: str, line: int | None, field: str, default: bool = False) -> bool:
        value = raw.get(key)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"true", "yes", "y", "1"}:
            return True
        if text in {"false", "no", "n", "0"}:
            return False
        self.add(line, field, value, "is not true or false", f"write {key}: true or {key}: false")
        return default

    def text(self, raw: Mapping[str, Any], key: str) -> str:
        value = raw.get(key)
        return "" if value is None else str(value).strip()

    def hs(self, raw: Mapping[str, Any], key: str, line: int | None, field: str, *, required: bool) -> str | None:
        value = raw.get(key)
        if value is None or str(value).strip() == "":
            if required:
                self.add(line, field, None, "is missing", "give the HS code to at least 6 digits, e.g. 8708.29")
            return None
        # an unquoted YAML code such as 8708.30 arrives as the float 8708.3: restore its two decimals
        code = f"{value:.2f}" if isinstance(value, float) else str(value).strip()
        if not hscodes.is_wellformed(code):
            self.add(line, field, code, "is not an HS code", "write 6, 8 or 10 digits, e.g. 8708.29 or 8708.29.50")
            return None
        if not hscodes.is_known(code):
            self.add(
                line,
                field,
                code,
                "is an unknown HS subheading",
                "check the code against the Harmonized System (HS 2022); `nearshore origin rule CODE` helps",
            )
            return None
        return normalise(code)

    def unknown_keys(self, raw: Mapping[str, Any], allowed: set[str], line: int | None, where: str) -> None:
        for key in raw:
            if key != LINE and key not in allowed:
                self.add(
                    line,
                    f"{where}.{key}",
                    None,
                    "is not a known field",
                    "known fields: " + ", ".join(sorted(allowed)),
                )


Reader = Callable[[Checker, Mapping[str, Any], str, int | None, str], Any]  # (checker, raw, key, line, path)


@dataclass(frozen=True)
class Field:
    """One key of a BOM section: how it is read, and the attribute of the result it fills (`attr`: the key
    itself when None; "" when the value is combined with others by hand, e.g. total_cost into net_cost)."""

    key: str
    read: Reader
    attr: str | None = None


def read_fields(
    c: Checker, raw: Mapping[str, Any], fields: Sequence[Field], line: int | None, where: str
) -> dict[str, Any]:
    """Every field of a section read in table order (each problem located at `where.key`), by key; a key the
    table does not name is a problem too."""
    c.unknown_keys(raw, {f.key for f in fields}, line, where)
    return {f.key: f.read(c, raw, f.key, line, f"{where}.{f.key}") for f in fields}


def arguments(fields: Sequence[Field], values: Mapping[str, Any]) -> dict[str, Any]:
    """The values the table passes straight to the result's constructor, by attribute name."""
    return {f.attr or f.key: values[f.key] for f in fields if f.attr != ""}


def number(*, required: bool = False, positive: bool = False, default: float | None = None) -> Reader:
    def read(c: Checker, raw: Mapping[str, Any], key: str, line: int | None, path: str) -> float | None:
        value = c.number(raw, key, line, path, required=required, positive=positive)
        return default if value is None else value

    return read


def flag(default: bool = False) -> Reader:
    def read(c: Checker, raw: Mapping[str, Any], key: str, line: int | None, path: str) -> bool:
        return c.flag(raw, key, line, path, default)

    return read


def text(c: Checker, raw: Mapping[str, Any], key: str, line: int | None, path: str) -> str:
    return c.text(raw, key)


def date(c: Checker, raw: Mapping[str, Any], key: str, line: int | None, path: str) -> dt.date | None:
    return parse_date(c, raw.get(key), line, path)


def hs_code(*, required: bool) -> Reader:
    def read(c: Checker, raw: Mapping[str, Any], key: str, line: int | None, path: str) -> str | None:
        return c.hs(raw, key, line, path, required=required)

    return read


def choice(options: Sequence[str], what: str) -> Reader:
    """One of `options` or nothing (None); anything else is a problem saying it is not `what`."""

    def read(c: Checker, raw: Mapping[str, Any], key: str, line: int | None, path: str) -> str | None:
        value = raw.get(key)
        if value in (None, ""):
            return None
        if value not in options:
            c.add(line, path, value, f"is not {what}", "allowed: " + ", ".join(options))
            return None
        return str(value)

    return read


def country(c: Checker, raw: Mapping[str, Any], key: str, line: int | None, path: str) -> str | None:
    """An ISO 3166 country code (alpha-2 or alpha-3) as alpha-2, or None when not given."""
    return None if raw.get(key) in (None, "") else country_code(c, raw[key], line, path)


def country_code(checker: Checker, raw: Any, line: int | None, field: str) -> str | None:
    import pycountry

    text = str(raw).strip().upper()
    country = None
    if len(text) == 2:
        country = pycountry.countries.get(alpha_2=text)
    elif len(text) == 3:
        country = pycountry.countries.get(alpha_3=text)
    if country is None:
        checker.add(line, field, raw, "is not a country code", "use an ISO 3166 code such as MX, MEX, CN or DEU")
        return None
    return str(country.alpha_2)


def parse_date(checker: Checker, raw: Any, line: int | None, field: str) -> dt.date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        checker.add(line, field, raw, "is not a date", "write dates as YYYY-MM-DD")
        return None


def records(c: Checker, raw: Mapping[str, Any], key: str, line: int | None, path: str) -> list[Mapping[str, Any]]:
    """A list of field: value records (`core_parts:`, `steel_aluminum:`); anything else is a located problem."""
    value = raw.get(key)
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        c.add(line, path, _shown(value), "is not a list", f"write {key}: as a list of records, one per line (- ...)")
        return []
    out = []
    for i, item in enumerate(value):
        if isinstance(item, Mapping):
            out.append(item)
        else:
            c.add(line, f"{path}[{i}]", _shown(item), "is not a record", "give each as field: value pairs")
    return out


def section(c: Checker, raw: Mapping[str, Any], key: str, line: int | None, path: str) -> Mapping[str, Any] | None:
    """An optional mapping (`labour:`, `alternative_staging:`): None when absent, a problem when not a mapping."""
    value = raw.get(key)
    if value in (None, ""):
        return None
    if not isinstance(value, Mapping):
        c.add(line, path, _shown(value), "is not a mapping", f"write {key}: as field: value pairs")
        return None
    return value


def vehicle_section(c: Checker, raw: Mapping[str, Any]) -> Vehicle | None:
    line = raw.get(LINE)
    klass = raw.get("class")
    if not isinstance(klass, str) or klass not in VEHICLE_CLASSES:
        c.add(line, "vehicle.class", _shown(klass), "is not a vehicle class", "allowed: " + ", ".join(VEHICLE_CLASSES))
        return None
    labour_raw = section(c, raw, "labour", line, "vehicle.labour")
    labour = _labour(c, labour_raw, line) if labour_raw is not None else None
    parts = _core_parts(c, records(c, raw, "core_parts", line, "vehicle.core_parts"), line)
    purchases = _purchases(c, records(c, raw, "steel_aluminum", line, "vehicle.steel_aluminum"), line)
    staging = None
    regime = section(c, raw, "alternative_staging", line, "vehicle.alternative_staging")
    if regime is not None:
        sl = regime.get(LINE, line)
        until = parse_date(c, regime.get("until"), sl, "vehicle.alternative_staging.until")
        staging = AlternativeStaging(
            until or AlternativeStaging().until,
            c.flag(regime, "steel_aluminum_exempt", sl, "vehicle.alternative_staging.steel_aluminum_exempt"),
        )
    return Vehicle(klass, labour, tuple(parts), tuple(purchases), staging)


LABOUR_FIELDS = (
    Field("high_wage_labour", number(required=True)),
    Field("high_wage_materials", number(required=True)),
    Field("high_wage_transport", number(default=0.0)),
    Field("rd_it_wages", number(default=0.0)),
    Field("production_wages", number(default=0.0)),
    Field("high_wage_assembly_plant", flag()),
    Field("annual_purchase_value", number()),
    Field("total_annual_purchase_value", number(positive=True)),
)


def _labour(c: Checker, raw: Mapping[str, Any], line: int | None) -> LabourValue | None:
    """The labour value content inputs (s. 16): both high-wage amounts are needed."""
    values = {f.key: f.read(c, raw, f.key, raw.get(LINE, line), f"vehicle.labour.{f.key}") for f in LABOUR_FIELDS}
    if values["high_wage_labour"] is None or values["high_wage_materials"] is None:
        return None
    return LabourValue(**arguments(LABOUR_FIELDS, values))


def _core_parts(c: Checker, raw: Sequence[Mapping[str, Any]], line: int | None) -> list[CorePart]:
    parts: list[CorePart] = []
    for i, part in enumerate(raw):
        pl = part.get(LINE, line)
        hs = c.hs(part, "hs", pl, f"vehicle.core_parts[{i}].hs", required=True)
        nc = c.number(part, "net_cost", pl, f"vehicle.core_parts[{i}].net_cost", required=True, positive=True)
        vnm = c.number(part, "vnm", pl, f"vehicle.core_parts[{i}].vnm", required=True)
        if hs and nc is not None and vnm is not None:
            parts.append(CorePart(int(pl) if pl is not None else i + 1, str(part.get("name", hs)), hs, nc, vnm))
    return parts


def _purchases(c: Checker, raw: Sequence[Mapping[str, Any]], line: int | None) -> list[Purchase]:
    purchases: list[Purchase] = []
    for i, buy in enumerate(raw):
        bl = buy.get(LINE, line)
        metal = buy.get("metal")
        if metal not in ("steel", "aluminum"):
            where = f"vehicle.steel_aluminum[{i}].metal"
            c.add(bl, where, metal, "is not steel or aluminum", "allowed: steel, aluminum")
            continue
        value = c.number(buy, "value", bl, f"vehicle.steel_aluminum[{i}].value", required=True)
        if value is not None:
            originating = c.flag(buy, "originating", bl, f"vehicle.steel_aluminum[{i}].originating")
            purchases.append(Purchase(int(bl) if bl is not None else i + 1, metal, value, originating))
    return purchases


def rule_section(c: Checker, raw: Mapping[str, Any]) -> RuleOverride | None:
    line = raw.get(LINE)
    shift = raw.get("shift", "none")
    level = next((s for s in SHIFT_LEVELS if s == shift), None)
    if level is None:
        c.add(
            line,
            "rule.shift",
            _shown(shift),
            "is not a tariff-shift level",
            "allowed: chapter, heading, subheading, none",
        )
        return None
    rvc = _thresholds(c, raw, line)
    excepted = _excepted(c, raw, line)
    if rvc is None or excepted is None:
        return None
    return RuleOverride(level, excepted, rvc, str(raw.get("text", "")))


def _thresholds(c: Checker, raw: Mapping[str, Any], line: int | None) -> dict[Any, float] | None:
    """`rvc: {transaction_value: 60, net_cost: 50}`: each a percent above 0 and at most 100."""
    given = raw.get("rvc")
    if given in (None, ""):
        return {}
    if not isinstance(given, Mapping):
        fix = "write rvc: {transaction_value: 60, net_cost: 50} (percent thresholds by method)"
        c.add(line, "rule.rvc", _shown(given), "is not a mapping of method: threshold", fix)
        return None
    rvc: dict[Any, float] = {}
    for method, threshold in given.items():
        if method == LINE:
            continue
        if method not in METHODS:
            c.add(line, f"rule.rvc.{method}", None, "is not an RVC method", "allowed: " + ", ".join(METHODS))
            continue
        number = c.number({method: threshold}, method, line, f"rule.rvc.{method}", required=True, positive=True)
        if number is not None and number > 100:
            c.add(line, f"rule.rvc.{method}", threshold, "is more than 100", "give the threshold in percent, e.g. 60")
        elif number is not None:
            rvc[method] = number
    return rvc


def _excepted(c: Checker, raw: Mapping[str, Any], line: int | None) -> tuple[str, ...] | None:
    """`except: [7208, 8708.29]`: the HS codes the shift excepts."""
    given = raw.get("except")
    if given in (None, ""):
        return ()
    if not isinstance(given, list):
        fix = "write except: [7208, 8708.29] (a list of 2 to 10 digit HS codes)"
        c.add(line, "rule.except", _shown(given), "is not a list of HS codes", fix)
        return None
    excepted = []
    for i, code in enumerate(given):
        text = f"{code:.2f}" if isinstance(code, float) else str(code)  # an unquoted 8708.30 reads as 8708.3
        if isinstance(code, (str, int, float)) and not isinstance(code, bool) and is_valid(text):
            excepted.append(normalise(text))
        else:
            c.add(
                line,
                f"rule.except[{i}]",
                _shown(code),
                "is not an HS code",
                "write 2 to 10 digits, e.g. 7208 or 8708.29",
            )
    return tuple(excepted)
