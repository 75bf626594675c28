"""Field checks for BOM documents: each converts one raw value or fails with a located problem.

`Checker` collects every problem of one file. A section of a BOM is described once, as a table of `Field`s
(the key in the document, how its value is read, the attribute it fills); `read_fields` reads a section by its
table and refuses keys the table does not name. `vehicle_section` and `rule_section` read the optional
`vehicle:` and `rule:` sections (docs/origin.md has the schema).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.add(line, field, value, "is not a number", f"write {key} as a plain number, e.g. 12.50")
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


def vehicle_section(c: Checker, raw: Mapping[str, Any]) -> Vehicle | None:
    line = raw.get(LINE)
    klass = raw.get("class")
    if klass not in VEHICLE_CLASSES:
        c.add(line, "vehicle.class", klass, "is not a vehicle class", "allowed: " + ", ".join(VEHICLE_CLASSES))
        return None
    labour = _labour(c, raw["labour"], line) if isinstance(raw.get("labour"), Mapping) else None
    parts = _core_parts(c, raw.get("core_parts") or [], line)
    purchases = _purchases(c, raw.get("steel_aluminum") or [], line)
    staging = None
    regime = raw.get("alternative_staging")
    if isinstance(regime, Mapping):
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
    if shift not in ("chapter", "heading", "subheading", "none"):
        c.add(
            line,
            "rule.shift",
            shift,
            "is not a tariff-shift level",
            "allowed: chapter, heading, subheading, none",
        )
        return None
    rvc: dict[Any, float] = {}
    for method, threshold in (raw.get("rvc") or {}).items():
        if method == LINE:
            continue
        if method not in METHODS:
            c.add(line, f"rule.rvc.{method}", None, "is not an RVC method", "allowed: " + ", ".join(METHODS))
            continue
        number = c.number({"t": threshold}, "t", line, f"rule.rvc.{method}", required=True)
        if number is not None:
            rvc[method] = number
    excepted = []
    for i, code in enumerate(raw.get("except") or []):
        if is_valid(str(code)):
            excepted.append(normalise(str(code)))
        else:
            c.add(line, f"rule.except[{i}]", code, "is not an HS code", "write 2 to 10 digits, e.g. 7208 or 8708.29")
    return RuleOverride(shift, tuple(excepted), rvc, str(raw.get("text", "")))
