"""Read a bill of materials from YAML, JSON or CSV and validate every field before any determination.

All problems are collected and raised together as one `InvalidBOM` naming line, field, value and fix; no
determination is ever made on guessed data. JSON is read with the YAML parser so lines are known too.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

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
)
from nearshore.origin.bom_fields import (
    LINE,
    Checker,
    country_code,
    parse_date,
    rule_section,
    vehicle_section,
)

GOOD_KEYS = {
    "description",
    "hs",
    "country",
    "currency",
    "transaction_value",
    "international_shipping",
    "net_cost",
    "total_cost",
    "excluded_costs",
    "period",
    "weight",
    "wholly_obtained",
    "set",
    "for_vehicle",
    "original_equipment",
    "conditions_met",
    "export_to",
    "unassembled",
    "other_vehicle",
    "chassis",
    "staging_until",
}
MATERIAL_KEYS = {
    "description",
    "hs",
    "origin",
    "originating",
    "evidence",
    "value",
    "currency",
    "quantity",
    "weight",
    "elastomeric",
    "self_produced",
    "intermediate",
    "non_originating_content",
    "indirect",
    "packing",
    "packaging",
    "accessory",
    "component",
    "adjustments",
    "accumulation",
    "fungible_originating_share",
    "production_vnm",
    "ref",
    "within",
    "rvc_required",
}
TOP_KEYS = {"good", "materials", "vehicle", "parties", "rule"}


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records each mapping's first line under `__line__`."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    result: dict[str, Any] = {str(k): v for k, v in mapping.items()}
    result[LINE] = node.start_mark.line + 1
    return result


def _construct_text(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# dates stay text so that a bad one (2026-13-01) is a located problem, not a failure inside the YAML parser
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_text)


def _good(c: Checker, raw: Mapping[str, Any]) -> Good | None:
    line = raw.get(LINE)
    c.unknown_keys(raw, GOOD_KEYS, line, "good")
    hs = c.hs(raw, "hs", line, "good.hs", required=True)
    country = None
    if raw.get("country") in (None, ""):
        c.add(
            line,
            "good.country",
            None,
            "is missing",
            "give the USMCA country where the good is produced (US, CA or MX)",
        )
    else:
        country = country_code(c, raw["country"], line, "good.country")
        if country is not None and country not in USMCA_COUNTRIES:
            c.add(
                line,
                "good.country",
                raw["country"],
                "is not a USMCA country",
                "a good can only originate if produced in US, CA or MX (SOR/2020-155 s. 3)",
            )
            country = None
    currency = c.text(raw, "currency").upper()
    if not currency:
        c.add(line, "good.currency", None, "is missing", "give the currency of all values, e.g. USD")
    tv = c.number(raw, "transaction_value", line, "good.transaction_value", positive=True)
    shipping = c.number(raw, "international_shipping", line, "good.international_shipping") or 0.0
    net_cost: NetCost | None = None
    nc = c.number(raw, "net_cost", line, "good.net_cost", positive=True)
    total = c.number(raw, "total_cost", line, "good.total_cost", positive=True)
    excluded = c.number(raw, "excluded_costs", line, "good.excluded_costs") or 0.0
    if nc is not None:
        net_cost = NetCost(nc, 0.0)
    elif total is not None:
        if excluded >= total:
            c.add(
                line,
                "good.excluded_costs",
                excluded,
                "is not less than total_cost",
                "net cost = total cost - excluded costs must be more than zero (s. 7(11))",
            )
        else:
            net_cost = NetCost(total, excluded)
    if tv is not None and shipping >= tv:
        c.add(
            line,
            "good.international_shipping",
            shipping,
            "is not less than transaction_value",
            "transaction value adjusted to FOB must be more than zero (s. 7(2))",
        )
    if (
        tv is None
        and net_cost is None
        and "transaction_value" not in raw
        and "net_cost" not in raw
        and "total_cost" not in raw
    ):
        c.add(
            line,
            "good.transaction_value",
            None,
            "is missing (and so is net_cost)",
            "give transaction_value (FOB) or net_cost, or total_cost and excluded_costs",
        )
    period = raw.get("period") or {}
    start = end = None
    if isinstance(period, Mapping):
        start = parse_date(c, period.get("start"), line, "good.period.start")
        end = parse_date(c, period.get("end"), line, "good.period.end")
        if start and end and end < start:
            c.add(line, "good.period.end", end, "is before period.start", "give a blanket period start <= end")
    for_vehicle = raw.get("for_vehicle")
    if for_vehicle not in (None, "") and for_vehicle not in VEHICLE_CLASSES:
        c.add(
            line,
            "good.for_vehicle",
            for_vehicle,
            "is not a vehicle class",
            "allowed: " + ", ".join(VEHICLE_CLASSES),
        )
        for_vehicle = None
    other = raw.get("other_vehicle")
    if other not in (None, "") and other not in OTHER_VEHICLE_KINDS:
        c.add(
            line,
            "good.other_vehicle",
            other,
            "is not a kind of vehicle of SOR/2020-155 s. 20",
            "allowed: " + ", ".join(OTHER_VEHICLE_KINDS),
        )
        other = None
    if hs is None or country is None or not currency:
        return None
    return Good(
        description=c.text(raw, "description"),
        hs=hs,
        country=country,
        currency=currency,
        transaction_value=tv,
        net_cost=net_cost,
        international_shipping=shipping,
        weight=c.number(raw, "weight", line, "good.weight", positive=True),
        wholly_obtained=c.flag(raw, "wholly_obtained", line, "good.wholly_obtained"),
        is_set=c.flag(raw, "set", line, "good.set"),
        unassembled=c.flag(raw, "unassembled", line, "good.unassembled"),
        period_start=start,
        period_end=end,
        for_vehicle=for_vehicle or None,
        original_equipment=c.flag(raw, "original_equipment", line, "good.original_equipment", True),
        conditions_met=_attested(c, raw.get("conditions_met"), line),
        export_to=_export_to(c, raw.get("export_to"), line),
        other_vehicle=other or None,
        chassis=c.flag(raw, "chassis", line, "good.chassis"),
        staging_until=parse_date(c, raw.get("staging_until"), line, "good.staging_until"),
    )


def _export_to(c: Checker, raw: Any, line: int | None) -> str | None:
    if raw in (None, ""):
        return None
    code = country_code(c, raw, line, "good.export_to")
    if code is not None and code not in USMCA_COUNTRIES:
        c.add(line, "good.export_to", raw, "is not a USMCA country", "give the importing country: US, CA or MX")
        return None
    return code


def _attested(c: Checker, raw: Any, line: int | None) -> tuple[str, ...]:
    """`conditions_met: true` (every alternative) or a list of alternative labels such as [C, D]."""
    if raw is None or raw is False:
        return ()
    if raw is True:
        return ("*",)
    if isinstance(raw, list) and all(isinstance(x, str) for x in raw):
        return tuple(x.strip("() ").upper() for x in raw)
    c.add(line, "good.conditions_met", raw, "is not true or a list of alternatives", "write true or e.g. [C, D]")
    return ()


def _material(c: Checker, raw: Mapping[str, Any], index: int, currency: str) -> Material | None:
    line = raw.get(LINE)
    where = f"materials[{index}]"
    c.unknown_keys(raw, MATERIAL_KEYS, line, where)
    before = len(c.problems)
    indirect = c.flag(raw, "indirect", line, f"{where}.indirect")
    packing = c.flag(raw, "packing", line, f"{where}.packing")
    origin = None
    if raw.get("origin") not in (None, ""):
        origin = country_code(c, raw["origin"], line, f"{where}.origin")
    share = c.number(raw, "fungible_originating_share", line, f"{where}.fungible_originating_share")
    if share is not None and share > 1:
        c.add(
            line,
            f"{where}.fungible_originating_share",
            share,
            "is more than 1",
            "give the originating share from your inventory method as a fraction between 0 and 1",
        )
        share = None
    originating_raw = raw.get("originating")
    no_origin = origin is None and raw.get("origin") in (None, "")
    if originating_raw in (None, "") and no_origin and not indirect and share is None:
        c.add(
            line,
            f"{where}.origin",
            None,
            "is missing (and so is originating)",
            "give the country of origin (e.g. CN) or originating: true/false with its evidence",
        )
    if share is not None and originating_raw in (None, ""):
        originating = share >= 1.0
    elif originating_raw in (None, ""):
        originating = origin in USMCA_COUNTRIES if origin else indirect
    else:
        originating = c.flag(raw, "originating", line, f"{where}.originating")
    needs_hs = not originating and not indirect and not packing
    hs = c.hs(raw, "hs", line, f"{where}.hs", required=False)
    if hs is None and needs_hs and raw.get("hs") in (None, ""):
        c.add(
            line,
            f"{where}.hs",
            None,
            "is missing for a non-originating material",
            "give its HS code: the tariff-shift test needs it (originating or indirect materials may omit it)",
        )
    value = c.number(raw, "value", line, f"{where}.value", required=True)
    mat_currency = c.text(raw, "currency").upper()
    if mat_currency and currency and mat_currency != currency:
        c.add(
            line,
            f"{where}.currency",
            mat_currency,
            f"differs from the good's currency {currency}",
            f"convert to {currency} at the rate you recorded for the purchase (SOR/2020-155 s. 2) and restate",
        )
    accumulation = None
    acc = raw.get("accumulation")
    if isinstance(acc, Mapping):
        acc_vnm = c.number(acc, "vnm", line, f"{where}.accumulation.vnm")
        acc_amount = c.number(acc, "amount", line, f"{where}.accumulation.amount")
        if acc_vnm is None and acc_amount is None:
            c.add(
                line,
                f"{where}.accumulation",
                None,
                "gives neither vnm nor amount",
                "copy the supplier statement's VNM (s. 9(2)(a), 9(3)) or amount (s. 9(2)(b))",
            )
        else:
            accumulation = Accumulation(acc_vnm, acc_amount)
    content = c.number(raw, "non_originating_content", line, f"{where}.non_originating_content") or 0.0
    adjustments = c.number(raw, "adjustments", line, f"{where}.adjustments") or 0.0
    if value is not None and adjustments > value:
        c.add(
            line,
            f"{where}.adjustments",
            adjustments,
            "is more than the value",
            "deductions under s. 8(2) cannot exceed the material's value",
        )
    production_vnm = c.number(raw, "production_vnm", line, f"{where}.production_vnm")
    quantity = c.number(raw, "quantity", line, f"{where}.quantity")
    weight = c.number(raw, "weight", line, f"{where}.weight")
    flags = {
        key: c.flag(raw, key, line, f"{where}.{key}")
        for key in ("elastomeric", "self_produced", "intermediate", "packaging", "accessory")
    }
    component = c.flag(raw, "component", line, f"{where}.component", True)
    if len(c.problems) > before or value is None:
        return None
    return Material(
        line=int(line) if line is not None else index + 1,
        description=c.text(raw, "description"),
        hs=hs,
        origin=origin,
        originating=originating,
        value=value,
        evidence=c.text(raw, "evidence"),
        quantity=quantity,
        weight=weight,
        non_originating_content=content,
        indirect=indirect,
        packing=packing,
        component=component,
        adjustments=adjustments,
        accumulation=accumulation,
        production_vnm=production_vnm,
        ref=c.text(raw, "ref"),
        within=c.text(raw, "within"),
        rvc_required=c.flag(raw, "rvc_required", line, f"{where}.rvc_required"),
        fungible_share=share,
        **flags,
    )


def bom_from_mapping(data: Any, source: str) -> BOM:
    """Validate a parsed BOM document; raise `InvalidBOM` listing every problem."""
    c = Checker(source)
    if not isinstance(data, Mapping):
        raise InvalidBOM(
            [
                Problem(
                    source,
                    None,
                    None,
                    None,
                    "is not a mapping with good: and materials:",
                    "see docs/examples/bom.yaml",
                )
            ]
        )
    c.unknown_keys(data, TOP_KEYS, None, "bom")
    raw_good = data.get("good")
    good = None
    if raw_good is None:
        c.add(None, "good", None, "is missing", "add a good: section (see docs/examples/bom.yaml)")
    elif not isinstance(raw_good, Mapping):
        c.add(
            None, "good", raw_good, "is not a mapping", "give good: as field: value pairs (see docs/examples/bom.yaml)"
        )
    else:
        good = _good(c, raw_good)
    currency = (
        good.currency if good else (str(raw_good.get("currency", "")).upper() if isinstance(raw_good, Mapping) else "")
    )
    materials = []
    raw_materials = data.get("materials")
    wholly = good is not None and good.wholly_obtained
    if not wholly and (not isinstance(raw_materials, list) or not raw_materials):
        c.add(
            None,
            "materials",
            None,
            "is missing or empty",
            "list the materials under materials: (only a wholly obtained good may have none)",
        )
        raw_materials = []
    for index, raw in enumerate(raw_materials if isinstance(raw_materials, list) else []):
        if not isinstance(raw, Mapping):
            c.add(
                None,
                f"materials[{index}]",
                raw,
                "is not a mapping",
                "give each material as field: value pairs",
            )
            continue
        material = _material(c, raw, index, currency)
        if material is not None:
            materials.append(material)
    _check_nesting(c, materials)
    for section in ("vehicle", "rule", "parties"):
        if data.get(section) is not None and not isinstance(data[section], Mapping):
            c.add(
                None,
                section,
                data[section],
                "is not a mapping",
                f"give {section}: as field: value pairs (see docs/origin.md and docs/examples)",
            )
    vehicle = vehicle_section(c, data["vehicle"]) if isinstance(data.get("vehicle"), Mapping) else None
    rule = rule_section(c, data["rule"]) if isinstance(data.get("rule"), Mapping) else None
    parties_raw = data["parties"] if isinstance(data.get("parties"), Mapping) else {}
    parties = Parties(*(str(parties_raw.get(k, "") or "") for k in ("exporter", "producer", "importer")))
    if c.problems or good is None:
        raise InvalidBOM(c.problems)
    return BOM(source, good, tuple(materials), vehicle, parties, rule)


def _check_nesting(c: Checker, materials: list[Material]) -> None:
    """Every `within` names the `ref` of a self-produced material of the BOM (s. 8(6) nesting)."""
    refs = {m.ref: m for m in materials if m.ref}
    for index, m in enumerate(materials):
        if m.within and (m.within not in refs or not refs[m.within].self_produced or m.within == m.ref):
            c.add(
                m.line,
                f"materials[{index}].within",
                m.within,
                "names no other self-produced material's ref",
                "give the ref of the self-produced material this line is incorporated into",
            )


def _csv_document(path: Path) -> dict[str, Any]:
    """CSV: one row per record; column `record` is `good` (one row) or `material`; others are fields."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        header = reader.fieldnames or []
    fix = "each row's column record says good (one row) or material; see docs/origin.md"
    if "record" not in header:
        raise InvalidBOM([Problem(str(path), 1, "record", None, "is not a column of the CSV", f"add it: {fix}")])
    good: dict[str, Any] = {}
    materials: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for number, row in enumerate(rows, start=2):
        kind = (row.pop("record", "") or "").strip().lower()
        fields: dict[str, Any] = {k: v for k, v in row.items() if k and v not in (None, "")}
        fields[LINE] = number
        if kind == "good" and not good:
            good = fields
        elif kind == "material":
            materials.append(fields)
        elif kind == "good":
            problems.append(Problem(str(path), number, "record", kind, "is a second good row", "one good per BOM"))
        else:
            problems.append(Problem(str(path), number, "record", kind, "is neither good nor material", fix))
    if problems:
        raise InvalidBOM(problems)
    return {"good": good or None, "materials": materials}


def load_bom(path: Path | str) -> BOM:
    """Read and validate a BOM file (.yaml/.yml, .json or .csv)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file; give the path of a BOM in YAML, JSON or CSV")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        data: Any = _csv_document(path)
    elif suffix in {".yaml", ".yml", ".json"}:
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            raise InvalidBOM(
                [Problem(str(path), line, None, None, f"cannot be parsed: {exc}", "fix the syntax")]
            ) from None
    else:
        raise InputError(f"{path}: unknown BOM format {suffix!r}; use .yaml, .yml, .json or .csv")
    return bom_from_mapping(data, str(path))
