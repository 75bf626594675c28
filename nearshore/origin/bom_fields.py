"""Field checks for BOM documents: each converts one raw value or fails with a located problem.

`Checker` collects every problem of one file; `vehicle_section` and `rule_section` read the optional
`vehicle:` and `rule:` sections (docs/origin.md has the schema).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from nearshore.data.reference.hs import normalise
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
    labour = None
    lab = raw.get("labour")
    if isinstance(lab, Mapping):
        ll = lab.get(LINE, line)
        hwl = c.number(lab, "high_wage_labour", ll, "vehicle.labour.high_wage_labour", required=True)
        hwm = c.number(lab, "high_wage_materials", ll, "vehicle.labour.high_wage_materials", required=True)
        if hwl is not None and hwm is not None:
            labour = LabourValue(
                hwl,
                hwm,
                c.number(lab, "high_wage_transport", ll, "vehicle.labour.high_wage_transport") or 0.0,
                c.number(lab, "rd_it_wages", ll, "vehicle.labour.rd_it_wages") or 0.0,
                c.number(lab, "production_wages", ll, "vehicle.labour.production_wages") or 0.0,
                c.flag(lab, "high_wage_assembly_plant", ll, "vehicle.labour.high_wage_assembly_plant"),
                c.number(lab, "annual_purchase_value", ll, "vehicle.labour.annual_purchase_value"),
                c.number(
                    lab,
                    "total_annual_purchase_value",
                    ll,
                    "vehicle.labour.total_annual_purchase_value",
                    positive=True,
                ),
            )
    parts: list[CorePart] = []
    for i, part in enumerate(raw.get("core_parts") or []):
        pl = part.get(LINE, line)
        hs = c.hs(part, "hs", pl, f"vehicle.core_parts[{i}].hs", required=True)
        nc = c.number(part, "net_cost", pl, f"vehicle.core_parts[{i}].net_cost", required=True, positive=True)
        vnm = c.number(part, "vnm", pl, f"vehicle.core_parts[{i}].vnm", required=True)
        if hs and nc is not None and vnm is not None:
            parts.append(CorePart(int(pl) if pl is not None else i + 1, str(part.get("name", hs)), hs, nc, vnm))
    purchases: list[Purchase] = []
    for i, buy in enumerate(raw.get("steel_aluminum") or []):
        bl = buy.get(LINE, line)
        metal = buy.get("metal")
        if metal not in ("steel", "aluminum"):
            c.add(
                bl,
                f"vehicle.steel_aluminum[{i}].metal",
                metal,
                "is not steel or aluminum",
                "allowed: steel, aluminum",
            )
            continue
        value = c.number(buy, "value", bl, f"vehicle.steel_aluminum[{i}].value", required=True)
        if value is not None:
            purchases.append(
                Purchase(
                    int(bl) if bl is not None else i + 1,
                    metal,
                    value,
                    c.flag(buy, "originating", bl, f"vehicle.steel_aluminum[{i}].originating"),
                )
            )
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
    excepted = tuple(normalise(str(x)) for x in raw.get("except") or [])
    return RuleOverride(shift, excepted, rvc, str(raw.get("text", "")))
