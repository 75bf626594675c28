"""Read a bill of materials from YAML, JSON or CSV and validate every field before any determination.

All problems are collected and raised together as one `InvalidBOM` naming line, field, value and fix; no
determination is ever made on guessed data. JSON is read with the YAML parser so lines are known too.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from nearshore.errors import InputError, InvalidBOM, Problem
from nearshore.origin.automotive.other_vehicles import OTHER_VEHICLE_KINDS
from nearshore.origin.bom import (
    BOM,
    USMCA_COUNTRIES,
    VEHICLE_CLASSES,
    Accumulation,
    Good,
    Material,
    NetCost,
    Parties,
    checked_material,
)
from nearshore.origin.bom_fields import (
    LIMIT,
    LINE,
    Checker,
    Field,
    arguments,
    choice,
    country,
    country_code,
    date,
    flag,
    hs_code,
    number,
    parse_date,
    read_fields,
    rule_section,
    text,
    vehicle_section,
)
from nearshore.origin.bom_io_read import csv_document, json_document, read_text, yaml_document

TOP_KEYS = {"good", "materials", "vehicle", "parties", "rule"}


def _producer(c: Checker, raw: Mapping[str, Any], key: str, line: int | None, path: str) -> str | None:
    """The USMCA country where the good is produced (s. 3)."""
    if raw.get(key) in (None, ""):
        c.add(line, path, None, "is missing", "give the USMCA country where the good is produced (US, CA or MX)")
        return None
    code = country_code(c, raw[key], line, path)
    if code is not None and code not in USMCA_COUNTRIES:
        fix = "a good can only originate if produced in US, CA or MX (SOR/2020-155 s. 3)"
        c.add(line, path, raw[key], "is not a USMCA country", fix)
        return None
    return code


def _currency(c: Checker, raw: Mapping[str, Any], key: str, line: int | None, path: str) -> str:
    currency = c.text(raw, key).upper()
    if not currency:
        c.add(line, path, None, "is missing", "give the currency of all values, e.g. USD")
    return currency


def _period(c: Checker, raw: Mapping[str, Any], key: str, line: int | None, path: str) -> tuple[Any, Any]:
    """(start, end) of a blanket certification period, each optional."""
    period = raw.get(key) or {}
    if not isinstance(period, Mapping):
        c.add(line, path, period, "is not a mapping", "write period: {start: YYYY-MM-DD, end: YYYY-MM-DD}")
        return None, None
    start = parse_date(c, period.get("start"), line, f"{path}.start")
    end = parse_date(c, period.get("end"), line, f"{path}.end")
    if start and end and end < start:
        c.add(line, f"{path}.end", end, "is before period.start", "give a blanket period start <= end")
    return start, end


def _export_to(c: Checker, raw: Mapping[str, Any], key: str, line: int | None, path: str) -> str | None:
    code = country(c, raw, key, line, path)
    if code is not None and code not in USMCA_COUNTRIES:
        c.add(line, path, raw[key], "is not a USMCA country", "give the importing country: US, CA or MX")
        return None
    return code


def _attested(c: Checker, raw: Mapping[str, Any], key: str, line: int | None, path: str) -> tuple[str, ...]:
    """`conditions_met: true` (every alternative) or a list of alternative labels such as [C, D]."""
    value = raw.get(key)
    if value is None or value is False:
        return ()
    if value is True:
        return ("*",)
    if isinstance(value, list) and all(isinstance(x, str) for x in value):
        return tuple(x.strip("() ").upper() for x in value)
    c.add(line, path, value, "is not true or a list of alternatives", "write true or e.g. [C, D]")
    return ()


GOOD_FIELDS = (
    Field("hs", hs_code(required=True)),
    Field("country", _producer),
    Field("currency", _currency),
    Field("transaction_value", number(positive=True)),
    Field("international_shipping", number(default=0.0)),
    Field("net_cost", number(positive=True), ""),
    Field("total_cost", number(positive=True), ""),
    Field("excluded_costs", number(default=0.0), ""),
    Field("period", _period, ""),
    Field("for_vehicle", choice(VEHICLE_CLASSES, "a vehicle class")),
    Field("other_vehicle", choice(OTHER_VEHICLE_KINDS, "a kind of vehicle of SOR/2020-155 s. 20")),
    Field("description", text),
    Field("weight", number(positive=True)),
    Field("wholly_obtained", flag()),
    Field("set", flag(), "is_set"),
    Field("unassembled", flag()),
    Field("original_equipment", flag(True)),
    Field("conditions_met", _attested),
    Field("export_to", _export_to),
    Field("chassis", flag()),
    Field("staging_until", date),
    Field("table_2_10_1", flag()),
)


def _good(c: Checker, raw: Mapping[str, Any]) -> Good | None:
    line = raw.get(LINE)
    values = read_fields(c, raw, GOOD_FIELDS, line, "good")
    net_cost = _net_cost(c, values, line)
    tv, shipping = values["transaction_value"], values["international_shipping"]
    if tv is not None and shipping >= tv:
        c.add(
            line,
            "good.international_shipping",
            shipping,
            "is not less than transaction_value",
            "transaction value adjusted to FOB must be more than zero (s. 7(2))",
        )
    if tv is None and net_cost is None and not {"transaction_value", "net_cost", "total_cost"} & set(raw):
        c.add(
            line,
            "good.transaction_value",
            None,
            "is missing (and so is net_cost)",
            "give transaction_value (FOB) or net_cost, or total_cost and excluded_costs",
        )
    if values["hs"] is None or values["country"] is None or not values["currency"]:
        return None
    start, end = values["period"]
    return Good(**arguments(GOOD_FIELDS, values), net_cost=net_cost, period_start=start, period_end=end)


def _net_cost(c: Checker, values: Mapping[str, Any], line: int | None) -> NetCost | None:
    """net_cost as given, else total_cost less excluded_costs (s. 7(11))."""
    if values["net_cost"] is not None:
        return NetCost(values["net_cost"], 0.0)
    total, excluded = values["total_cost"], values["excluded_costs"]
    if total is None:
        return None
    if excluded >= total:
        c.add(
            line,
            "good.excluded_costs",
            excluded,
            "is not less than total_cost",
            "net cost = total cost - excluded costs must be more than zero (s. 7(11))",
        )
        return None
    return NetCost(total, excluded)


def _share(c: Checker, raw: Mapping[str, Any], key: str, line: int | None, path: str) -> float | None:
    """The originating share of a fungible material from an inventory method (s. 8(18)): 0 to 1."""
    share = c.number(raw, key, line, path)
    if share is not None and share > 1:
        fix = "give the originating share from your inventory method as a fraction between 0 and 1"
        c.add(line, path, share, "is more than 1", fix)
        return None
    return share


def _accumulation(c: Checker, raw: Mapping[str, Any], key: str, line: int | None, path: str) -> Accumulation | None:
    """A supplier statement's VNM (s. 9(2)(a), 9(3)) or amount (s. 9(2)(b))."""
    acc = raw.get(key)
    if acc is None:
        return None
    if not isinstance(acc, Mapping):
        c.add(line, path, acc, "is not a mapping", "write accumulation: {vnm: N} or accumulation: {amount: N}")
        return None
    vnm = c.number(acc, "vnm", line, f"{path}.vnm")
    amount = c.number(acc, "amount", line, f"{path}.amount")
    if vnm is None and amount is None:
        fix = "copy the supplier statement's VNM (s. 9(2)(a), 9(3)) or amount (s. 9(2)(b))"
        c.add(line, path, None, "gives neither vnm nor amount", fix)
        return None
    return Accumulation(vnm, amount)


MATERIAL_FIELDS = (
    Field("indirect", flag()),
    Field("packing", flag()),
    Field("origin", country),
    Field("fungible_originating_share", _share, "fungible_share"),
    Field("originating", flag(), ""),
    Field("hs", hs_code(required=False)),
    Field("value", number(required=True)),
    Field("currency", text, ""),
    Field("accumulation", _accumulation),
    Field("non_originating_content", number(default=0.0)),
    Field("adjustments", number(default=0.0)),
    Field("production_vnm", number()),
    Field("quantity", number()),
    Field("weight", number()),
    Field("elastomeric", flag()),
    Field("self_produced", flag()),
    Field("intermediate", flag()),
    Field("packaging", flag()),
    Field("accessory", flag()),
    Field("component", flag(True)),
    Field("description", text),
    Field("evidence", text),
    Field("ref", text),
    Field("within", text),
    Field("rvc_required", flag()),
    Field("part", flag()),
    Field("shift_as_material", flag()),
)


def _material(c: Checker, raw: Mapping[str, Any], index: int, currency: str) -> Material | None:
    line = raw.get(LINE)
    where = f"materials[{index}]"
    before = len(c.problems)
    values = read_fields(c, raw, MATERIAL_FIELDS, line, where)
    originating = _originating(c, raw, values, line, where)
    needs_hs = not (originating or values["indirect"] or values["packing"])
    if values["hs"] is None and needs_hs and raw.get("hs") in (None, ""):
        c.add(
            line,
            f"{where}.hs",
            None,
            "is missing for a non-originating material",
            "give its HS code: the tariff-shift test needs it (originating or indirect materials may omit it)",
        )
    stated = values["currency"].upper()
    if stated and currency and stated != currency:
        c.add(
            line,
            f"{where}.currency",
            stated,
            f"differs from the good's currency {currency}",
            f"convert to {currency} at the rate you recorded for the purchase (SOR/2020-155 s. 2) and restate",
        )
    value, adjustments = values["value"], values["adjustments"]
    if value is not None and adjustments > value:
        fix = "deductions under s. 8(2) cannot exceed the material's value"
        c.add(line, f"{where}.adjustments", adjustments, "is more than the value", fix)
    if len(c.problems) > before or value is None:
        return None
    number_line = int(line) if line is not None else index + 1
    return Material(line=number_line, originating=originating, **arguments(MATERIAL_FIELDS, values))


def _originating(c: Checker, raw: Mapping[str, Any], values: Mapping[str, Any], line: int | None, where: str) -> bool:
    """Whether the material originates: as stated, else from its fungible share, its country of origin, or
    (for indirect materials, s. 8(14)) by default."""
    stated = raw.get("originating") not in (None, "")
    share, origin = values["fungible_originating_share"], values["origin"]
    if not stated and raw.get("origin") in (None, "") and not values["indirect"] and share is None:
        c.add(
            line,
            f"{where}.origin",
            None,
            "is missing (and so is originating)",
            "give the country of origin (e.g. CN) or originating: true/false with its evidence",
        )
    if stated:
        return bool(values["originating"])
    if share is not None:
        return bool(share >= 1.0)
    return bool(origin in USMCA_COUNTRIES if origin else values["indirect"])


def bom_from_mapping(data: Any, source: str) -> BOM:
    """Validate a parsed BOM document; raise `InvalidBOM` listing every problem."""
    if not isinstance(data, Mapping):
        fix = "see docs/examples/bom.yaml"
        raise InvalidBOM([Problem(source, None, None, None, "is not a mapping with good: and materials:", fix)])
    c = Checker(source)
    c.unknown_keys(data, TOP_KEYS, None, "bom")
    raw_good = data.get("good")
    good = None
    if raw_good is None:
        c.add(None, "good", None, "is missing", "add a good: section (see docs/examples/bom.yaml)")
    elif not isinstance(raw_good, Mapping):
        fix = "give good: as field: value pairs (see docs/examples/bom.yaml)"
        c.add(None, "good", raw_good, "is not a mapping", fix)
    else:
        good = _good(c, raw_good)
    currency = good.currency if good else _currency_given(raw_good)
    materials = _materials(c, data.get("materials"), currency, wholly=good is not None and good.wholly_obtained)
    _check_nesting(c, materials)
    for section in ("vehicle", "rule", "parties"):
        if data.get(section) is not None and not isinstance(data[section], Mapping):
            fix = f"give {section}: as field: value pairs (see docs/origin.md and docs/examples)"
            c.add(None, section, data[section], "is not a mapping", fix)
    vehicle = vehicle_section(c, data["vehicle"]) if isinstance(data.get("vehicle"), Mapping) else None
    rule = rule_section(c, data["rule"]) if isinstance(data.get("rule"), Mapping) else None
    parties_raw = data["parties"] if isinstance(data.get("parties"), Mapping) else {}
    parties = Parties(*(str(parties_raw.get(k, "") or "") for k in ("exporter", "producer", "importer")))
    if c.problems or good is None:
        raise InvalidBOM(c.problems)
    return BOM(source, good, tuple(materials), vehicle, parties, rule)


def _currency_given(raw_good: Any) -> str:
    """The good's currency as written, for checking the materials' when the good itself has problems."""
    return str(raw_good.get("currency", "")).upper() if isinstance(raw_good, Mapping) else ""


def _materials(c: Checker, raw_materials: Any, currency: str, *, wholly: bool) -> list[Material]:
    """The materials: section, each material validated (only a wholly obtained good may have none)."""
    if not isinstance(raw_materials, list) or not raw_materials:
        if not wholly:
            fix = "list the materials under materials: (only a wholly obtained good may have none)"
            c.add(None, "materials", None, "is missing or empty", fix)
        return []
    materials = []
    for index, raw in enumerate(raw_materials):
        if not isinstance(raw, Mapping):
            c.add(None, f"materials[{index}]", raw, "is not a mapping", "give each material as field: value pairs")
            continue
        material = _plain_material(raw, index)
        if material is None:
            material = _material(c, raw, index, currency)
            if material is None:
                continue
            _remember(raw, material)
        materials.append(material)
    return materials


_PLAIN_KEYS = frozenset(("description", "hs", "origin", "originating", "value", LINE))
_CACHE_LIMIT = 100_000
_codes: dict[str, str] = {}  # an HS code as written -> as `Checker.hs` returns it, for codes that passed it
_countries: dict[str, str] = {}  # a country as written -> its alpha-2 code, for those `country_code` accepted


def _plain_material(raw: Mapping[str, Any], index: int) -> Material | None:
    """The common material built at once, or None for `_material` to read field by field: only the keys
    description, hs, origin, originating and value; a text description; an HS code and a country, as text, that
    passed the full checks before; a value that is a number from 0 to LIMIT; originating true, false or (with an
    origin) absent; an HS code unless it originates. Gives what `_material` gives for it (tests/origin)."""
    if type(raw) is not dict or not raw.keys() <= _PLAIN_KEYS:
        return None
    value: Any = raw.get("value")
    originating = raw.get("originating", _ABSENT)
    kind = type(value)
    if not ((kind is float or kind is int) and 0 <= value <= LIMIT):
        return None
    description, hs_raw, origin_raw = raw.get("description", ""), raw.get("hs"), raw.get("origin")
    hs = _codes.get(hs_raw) if type(hs_raw) is str else None
    origin = _countries.get(origin_raw) if type(origin_raw) is str else None
    if (
        type(description) is not str
        or (hs is None and hs_raw is not None)
        or (origin is None and origin_raw is not None)
    ):
        return None
    if originating is _ABSENT and origin is not None:
        originating = origin in USMCA_COUNTRIES
    elif type(originating) is not bool:
        return None
    if hs is None and not originating:
        return None
    line = raw.get(LINE)
    number = int(line) if line is not None else index + 1
    return checked_material(number, description.strip(), hs, origin, originating, float(value))


_ABSENT = object()


def _remember(raw: Mapping[str, Any], material: Material) -> None:
    """Keep the HS code and country of a material that passed the full checks, for `_plain_material`."""
    hs_raw, origin_raw = raw.get("hs"), raw.get("origin")
    if len(_codes) < _CACHE_LIMIT and type(hs_raw) is str and material.hs is not None:
        _codes[hs_raw] = material.hs
    if len(_countries) < _CACHE_LIMIT and type(origin_raw) is str and material.origin is not None:
        _countries[origin_raw] = material.origin


def _can_hold(m: Material) -> bool:
    """A material whose inputs a BOM may list: self-produced (s. 8(6)), or produced in a USMCA country by a supplier
    whose statement gives them (s. 9(7)(a)(ii))."""
    return m.self_produced or m.accumulation is not None or m.origin in USMCA_COUNTRIES


def _check_nesting(c: Checker, materials: list[Material]) -> None:
    """Every `within` names the `ref` of a self-produced or accumulated material of the BOM, and no chain of
    `within` comes back to where it started; `shift_as_material` is for self-produced materials (s. 3(8))."""
    refs = {m.ref: m for m in materials if m.ref}
    for index, m in enumerate(materials):
        if m.within and (m.within not in refs or not _can_hold(refs[m.within]) or m.within == m.ref):
            c.add(
                m.line,
                f"materials[{index}].within",
                m.within,
                "names no other self-produced or accumulated material's ref",
                "give the ref of the material this line is incorporated into: one you produce (self_produced: true) "
                "or one a USMCA supplier produced and states the inputs of (origin US, CA or MX)",
            )
        elif m.within and _loops(m, refs):
            c.add(m.line, f"materials[{index}].within", m.within, "runs in a loop of within", "break the loop")
        if m.shift_as_material and not m.self_produced:
            fix = "s. 3(8) lets a producer take its own self-produced material as the material: set self_produced"
            c.add(m.line, f"materials[{index}].shift_as_material", True, "is set on a material not self-produced", fix)


def _loops(m: Material, refs: dict[str, Material]) -> bool:
    seen: set[str] = {m.ref} if m.ref else set()
    current: Material | None = m
    while current is not None and current.within:
        if current.within in seen:
            return True
        seen.add(current.within)
        current = refs.get(current.within)
    return False


def load_bom(path: Path | str) -> BOM:
    """Read and validate a BOM file (.yaml/.yml, .json or .csv)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file; give the path of a BOM in YAML, JSON or CSV")
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".yaml", ".yml", ".json"}:
        raise InputError(f"{path}: unknown BOM format {suffix!r}; use .yaml, .yml, .json or .csv")
    text = read_text(path)
    if suffix == ".json" and (fast := json_document(text)) is not None:
        try:
            return bom_from_mapping(fast, str(path))
        except InvalidBOM:
            pass  # read again as YAML below: its problems then carry every line
    data = csv_document(text, str(path)) if suffix == ".csv" else yaml_document(text, str(path))
    return bom_from_mapping(data, str(path))
