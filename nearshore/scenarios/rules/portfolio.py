"""A portfolio of bills of materials with their annual volumes and unit values, read in bulk.

- one JSON-lines file (`.jsonl`) or Parquet file (`.parquet`): one BOM per line/row with the keys of a BOM
  document (`good`, `materials`, optional `vehicle`) plus `id`, `annual_volume` (units a year) and `unit_value`
  (U.S. dollars a unit; default the good's transaction value), optional `hts` (the HTS line the good enters
  under, default `good.hs` when it has 8 or 10 digits). Built straight into the engine's BOM objects, every
  value checked, every problem reported with its line and field; no per-file YAML path.
- a folder of BOM files (YAML/JSON/CSV, read by the origin engine's own reader) with `volumes.csv` beside them
  (`file,annual_volume,unit_value[,hts]`).

`vehicle.labour.plants` (a list of `{wage_usd, high_wage_labour, high_wage_materials, high_wage_transport}`)
lets a wage-rate change decide which plants count: the labour figures are the sums over plants paying at least
the rate (s. 12 of SOR/2020-155: US$16/hour).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Final

from nearshore.errors import InputError, Problem, ValidationFailed
from nearshore.origin.bom import BOM, USMCA_COUNTRIES, Good, LabourValue, Material, NetCost, RuleOverride, Vehicle
from nearshore.origin.bom_fields import Checker, rule_section, vehicle_section

OUTCOME: Final = "nothing was determined"
RECORD_KEYS: Final = ("id", "annual_volume", "unit_value", "hts", "good", "materials", "vehicle", "rule")
GOOD_KEYS: Final = (
    "description",
    "hs",
    "country",
    "currency",
    "transaction_value",
    "net_cost",
    "total_cost",
    "excluded_costs",
    "for_vehicle",
    "original_equipment",
    "export_to",
    "international_shipping",
)
MATERIAL_FLAGS: Final = (
    "originating",
    "indirect",
    "packing",
    "packaging",
    "accessory",
    "self_produced",
    "intermediate",
)
MATERIAL_NUMBERS: Final = ("value", "adjustments", "non_originating_content")
MATERIAL_KEYS: Final = ("description", "hs", "origin", *MATERIAL_FLAGS, *MATERIAL_NUMBERS)
ALLOWED: Final = frozenset(MATERIAL_KEYS)
_MATERIAL_DEFAULTS: Final = {f.name: f.default for f in fields(Material) if not callable(f.default_factory)}  # type: ignore[misc]


@dataclass(frozen=True)
class Holding:
    """One BOM of the portfolio: how many a year, at what unit value (USD), under which HTS line; `plants` the
    raw plant labour data when given (for a wage-rate change)."""

    bom: BOM
    annual_volume: float
    unit_value: float
    hts: str | None
    plants: tuple[tuple[float, float, float, float], ...] = ()

    @property
    def annual_value(self) -> float:
        return self.annual_volume * self.unit_value

    def at_wage(self, wage: float) -> BOM:
        """The BOM with its labour figures summed over the plants paying at least `wage` an hour."""
        vehicle = self.bom.vehicle
        if not self.plants or vehicle is None:
            return self.bom
        kept = [p for p in self.plants if p[0] >= wage]
        base = vehicle.labour or LabourValue(0.0, 0.0)
        labour = replace(
            base,
            high_wage_labour=sum(p[1] for p in kept),
            high_wage_materials=sum(p[2] for p in kept),
            high_wage_transport=sum(p[3] for p in kept),
        )
        return replace(self.bom, vehicle=replace(vehicle, labour=labour))


def read_portfolio(path: Path) -> list[Holding]:
    if path.is_dir():
        return _folder(path)
    if not path.is_file():
        raise InputError(
            f"{path}: no such file or folder; give a .jsonl or .parquet file of BOMs, or a folder of BOM files with volumes.csv"
        )
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return _records(str(path), _jsonl(path))
    if suffix == ".parquet":
        return _records(str(path), _parquet(path))
    raise InputError(f"{path}: unknown portfolio format {suffix!r}; use .jsonl, .parquet or a folder of BOM files")


def _jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, ValueError(f"is not JSON: {exc.msg} at column {exc.colno}")


def _parquet(path: Path) -> Iterator[tuple[int, Any]]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises many kinds for a damaged file
        raise InputError(f"{path}: cannot be read as Parquet ({exc})") from None
    yield from enumerate(table.to_pylist(), start=1)


def _records(source: str, rows: Iterator[tuple[int, Any]]) -> list[Holding]:
    problems: list[Problem] = []
    out: list[Holding] = []
    seen: set[str] = set()
    for number, raw in rows:
        holding = _holding(source, number, raw, problems)
        if holding is not None:
            if holding.bom.source in seen:
                problems.append(
                    Problem(
                        source,
                        number,
                        "id",
                        holding.bom.source,
                        "is given twice",
                        "give each BOM its own id",
                        by="line",
                    )
                )
            seen.add(holding.bom.source)
            out.append(holding)
        if len(problems) > 200:
            break
    if problems:
        raise ValidationFailed(problems, outcome=OUTCOME)
    if not out:
        raise InputError(f"{source}: holds no BOM; write one BOM per line")
    return out


class _Line:
    """The problems of one record, located by line and field."""

    def __init__(self, source: str, number: int, problems: list[Problem]) -> None:
        self.source, self.at, self.problems, self.bad = source, number, problems, False

    def add(self, field: str, value: Any, message: str, fix: str) -> None:
        self.bad = True
        shown = None if value is None else str(value)
        self.problems.append(Problem(self.source, self.at, field, shown, message, fix, by="line"))

    def number(
        self, raw: Mapping[str, Any], key: str, where: str, *, required: bool = False, positive: bool = False
    ) -> float | None:
        value = raw.get(key)
        if value is None:
            if required:
                self.add(f"{where}{key}", None, "is missing", f"give {key} as a number")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(f"{where}{key}", value, "is not a number", "write a plain number")
            return None
        if value < 0 or (positive and value == 0) or value != value:
            self.add(
                f"{where}{key}",
                value,
                "is negative or zero" if positive else "is negative",
                "give a value above zero" if positive else "give zero or more",
            )
            return None
        return float(value)

    def unknown(self, raw: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
        for key in raw:
            if key not in allowed:
                self.add(f"{where}{key}", raw[key], "is not a known key", f"the keys are {', '.join(allowed)}")


def _holding(source: str, number: int, raw: Any, problems: list[Problem]) -> Holding | None:
    line = _Line(source, number, problems)
    if isinstance(raw, ValueError):
        line.add("", None, str(raw), "write one JSON object per line")
        return None
    if not isinstance(raw, Mapping):
        line.add("", None, "is not an object", "write one BOM object per line")
        return None
    line.unknown(raw, RECORD_KEYS, "")
    good = _good(line, raw.get("good"))
    materials = _materials(line, raw.get("materials"), good)
    vehicle, plants = _vehicle(line, raw.get("vehicle"))
    volume = line.number(raw, "annual_volume", "", required=True)
    unit = line.number(raw, "unit_value", "", positive=True)
    hts = str(raw["hts"]).replace(".", "") if raw.get("hts") is not None else None
    if line.bad or good is None:
        return None
    unit = unit if unit is not None else good.transaction_value
    if unit is None:
        line.add(
            "unit_value", None, "is missing and the good has no transaction_value", "give unit_value in U.S. dollars"
        )
        return None
    ident = str(raw.get("id") or f"line {number}")
    rule = _rule(line, raw.get("rule"))
    if line.bad:
        return None
    bom = BOM(ident, good, tuple(materials), vehicle, rule=rule)
    hts = hts or (good.hs if len(good.hs) >= 8 else None)
    return Holding(bom, float(volume or 0.0), unit, hts, plants)


def _good(line: _Line, raw: Any) -> Good | None:
    if not isinstance(raw, Mapping):
        line.add("good", raw, "is missing or not an object", "give good: {description, hs, country, currency, ...}")
        return None
    line.unknown(raw, GOOD_KEYS, "good.")
    hs = str(raw.get("hs") or "").replace(".", "")
    if not (hs.isdigit() and len(hs) in (6, 8, 10)):
        line.add("good.hs", raw.get("hs"), "is not an HS code", "write 6, 8 or 10 digits, e.g. 8708.99")
    country = str(raw.get("country") or "").upper()
    if country not in USMCA_COUNTRIES:
        line.add("good.country", raw.get("country"), "is not US, CA or MX", "give where the good is produced")
    tv = line.number(raw, "transaction_value", "good.", positive=True)
    nc = line.number(raw, "net_cost", "good.", positive=True)
    total = line.number(raw, "total_cost", "good.", positive=True)
    excluded = line.number(raw, "excluded_costs", "good.") or 0.0
    net = NetCost(nc) if nc is not None else (NetCost(total, excluded) if total is not None else None)
    if tv is None and net is None:
        line.add(
            "good.transaction_value", None, "is missing, and so is the net cost", "give transaction_value or net_cost"
        )
    for_vehicle = raw.get("for_vehicle")
    if for_vehicle is not None and for_vehicle not in ("passenger", "light_truck", "heavy_truck"):
        line.add(
            "good.for_vehicle", for_vehicle, "is not a vehicle class", "write passenger, light_truck or heavy_truck"
        )
    if line.bad:
        return None
    return Good(
        str(raw.get("description") or ""),
        hs,
        country,
        str(raw.get("currency") or "USD").upper(),
        transaction_value=tv,
        net_cost=net,
        international_shipping=line.number(raw, "international_shipping", "good.") or 0.0,
        for_vehicle=for_vehicle,
        original_equipment=bool(raw.get("original_equipment", True)),
        export_to=str(raw["export_to"]).upper() if raw.get("export_to") else None,
    )


def _materials(line: _Line, raw: Any, good: Good | None) -> list[Material]:
    if not isinstance(raw, list) or not raw:
        line.add("materials", None, "is missing or empty", "list the materials")
        return []
    out = []
    new = object.__new__
    for index, item in enumerate(raw):
        where = f"materials[{index}]."
        if not isinstance(item, Mapping):
            line.add(where[:-1], item, "is not an object", "give each material as an object")
            continue
        if not item.keys() <= ALLOWED:
            line.unknown(item, MATERIAL_KEYS, where)
            continue
        value = item.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
            line.add(f"{where}value", value, "is missing, negative or not a number", "give the material's value (>= 0)")
            continue
        hs = item.get("hs")
        code = None if hs is None else str(hs).replace(".", "")
        if code is not None and not (code.isdigit() and 4 <= len(code) <= 10):
            line.add(f"{where}hs", hs, "is not an HS code", "write 6 digits, e.g. 7318.15")
            continue
        origin = item.get("origin")
        origin = None if origin is None else str(origin).upper()
        originating = item.get("originating")
        if originating is None:
            originating = origin in USMCA_COUNTRIES if origin else bool(item.get("indirect"))
        material = new(Material)
        # a frozen dataclass without __post_init__: every field at once (values checked above)
        material.__dict__.update(_MATERIAL_DEFAULTS, **item)
        material.__dict__.update(
            line=index + 1, hs=code, origin=origin, value=float(value), originating=bool(originating)
        )
        out.append(material)
    return out


def _vehicle(line: _Line, raw: Any) -> tuple[Vehicle | None, tuple[tuple[float, float, float, float], ...]]:
    if raw is None:
        return None, ()
    if not isinstance(raw, Mapping):
        line.add("vehicle", raw, "is not an object", "see docs/origin.md for the vehicle section")
        return None, ()
    plants: list[tuple[float, float, float, float]] = []
    labour = raw.get("labour")
    if isinstance(labour, Mapping) and "plants" in labour:
        for k, plant in enumerate(labour["plants"] or []):
            where = f"vehicle.labour.plants[{k}]."
            values = [
                line.number(plant, key, where, required=key == "wage_usd")
                for key in ("wage_usd", "high_wage_labour", "high_wage_materials", "high_wage_transport")
            ]
            plants.append(tuple(v or 0.0 for v in values))  # type: ignore[arg-type]
        raw = {
            **raw,
            "labour": {k: v for k, v in labour.items() if k != "plants"}
            | {"high_wage_labour": 0, "high_wage_materials": 0},
        }
    checker = Checker(line.source)
    vehicle = vehicle_section(checker, raw)
    for p in checker.problems:
        line.add(p.field or "vehicle", p.value, p.message, p.fix)
    return vehicle, tuple(plants)


def _rule(line: _Line, raw: Any) -> RuleOverride | None:
    """A rule written in the record (the engine's own reader of the `rule:` section)."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        line.add("rule", raw, "is not an object", "see docs/origin.md for the rule section")
        return None
    checker = Checker(line.source)
    rule = rule_section(checker, raw)
    for p in checker.problems:
        line.add(p.field or "rule", p.value, p.message, p.fix)
    return rule


def _folder(folder: Path) -> list[Holding]:
    from nearshore.origin.bom_io import load_bom

    volumes = folder / "volumes.csv"
    if not volumes.is_file():
        raise InputError(f"{folder}: no volumes.csv; add one with columns file,annual_volume,unit_value[,hts]")
    problems: list[Problem] = []
    out = []
    with volumes.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            line = _Line(str(volumes), reader.line_num, problems)
            numbers = {k: _float(row.get(k)) for k in ("annual_volume", "unit_value")}
            volume = line.number(numbers, "annual_volume", "", required=True)
            unit = line.number(numbers, "unit_value", "", positive=True)
            name = (row.get("file") or "").strip()
            if line.bad:
                continue
            bom = load_bom(folder / name)
            unit = unit if unit is not None else bom.good.transaction_value
            if unit is None:
                line.add("unit_value", None, "is missing and the good has no transaction_value", "give unit_value")
                continue
            hts = (row.get("hts") or "").replace(".", "") or (bom.good.hs if len(bom.good.hs) >= 8 else None)
            out.append(Holding(replace(bom, source=name), float(volume or 0.0), unit, hts))
    if problems:
        raise ValidationFailed(problems, outcome=OUTCOME)
    return out


def _float(text: str | None) -> float | str | None:
    if text is None or not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        return text


__all__ = ["Holding", "read_portfolio"]
