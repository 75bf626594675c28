"""Portfolio records (one BOM each, from JSON lines or Parquet) built straight into the origin engine's objects.

The record holds the keys of a BOM document (`good`, `materials`, optional `vehicle`, `rule`; docs/origin.md)
plus `id`, `annual_volume`, `unit_value` and `hts`. Goods and materials take a subset of the document's fields
(GOOD_KEYS, MATERIAL_KEYS), checked by the same rules as the origin engine's reader (`origin.bom_io`): known HS
codes, ISO country codes, numbers >= 0, true/false flags, an origin or an originating status for every material,
an HS code for every non-originating one, adjustments within the value. Each distinct HS code and country is
checked once, and a material is built without the dataclass's per-field checks (every value was checked here):
a portfolio of 10,000 BOMs of 50 lines is half a million materials. `vehicle` and `rule` sections go through the
engine's own section readers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from nearshore.data.reference.hs import normalise
from nearshore.errors import Problem
from nearshore.origin import hs as hscodes
from nearshore.origin.bom import BOM, USMCA_COUNTRIES, VEHICLE_CLASSES, Good, Material, NetCost, checked_material
from nearshore.origin.bom_fields import Checker, country_code, rule_section, vehicle_section
from nearshore.scenarios.rules.holding import Holding, Plant

RECORD_KEYS: Final = ("id", "annual_volume", "unit_value", "hts", "good", "materials", "vehicle", "rule")
GOOD_NUMBERS: Final = ("transaction_value", "net_cost", "total_cost", "excluded_costs", "international_shipping")
POSITIVE: Final = ("transaction_value", "net_cost", "total_cost")
GOOD_KEYS: Final = (
    "description",
    "hs",
    "country",
    "currency",
    *GOOD_NUMBERS,
    "for_vehicle",
    "original_equipment",
    "export_to",
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
MATERIAL_NUMBERS: Final = ("adjustments", "non_originating_content")
MATERIAL_KEYS: Final = ("description", "hs", "origin", "value", *MATERIAL_FLAGS, *MATERIAL_NUMBERS)
_PLAIN: Final = frozenset(("description", "hs", "origin", "originating", "value"))
_UNSET: Final = object()


class RecordReader:
    """Reads the records of one portfolio file; `problems` collects every problem, located by line and field."""

    def __init__(self, source: str, *, volumes: bool = True) -> None:
        self.source = source
        self.volumes = volumes  # False for `origin batch`: annual_volume and unit_value are then optional
        self.problems: list[Problem] = []
        self._codes: dict[Any, str | None] = {}
        self._countries: dict[Any, str | None] = {}

    def holding(self, number: int, raw: Any) -> Holding | None:
        """The record on line (row) `number`, or None with its problems added."""
        line = _Line(self, number)
        if isinstance(raw, ValueError):
            line.add("", None, str(raw), "write one JSON object per line")
            return None
        if not isinstance(raw, Mapping):
            line.add("", None, "is not an object", "write one BOM object per line")
            return None
        line.unknown(raw, RECORD_KEYS, "")
        good = self._good(line, raw.get("good"))
        materials = self._materials(line, raw.get("materials"))
        vehicle, plants = _vehicle(line, raw.get("vehicle"))
        rule = _section(line, raw.get("rule"), "rule", rule_section)
        volume = line.number(raw, "annual_volume", "", required=self.volumes)
        unit = line.number(raw, "unit_value", "", positive=True)
        hts = self._hts(line, raw.get("hts"))
        if line.bad or good is None:
            return None
        if self.volumes and unit is None and (good.transaction_value is None or good.currency != "USD"):
            line.add("unit_value", None, "is missing", "give the good's unit value in U.S. dollars")
            return None
        ident = raw.get("id")
        bom = BOM(f"line {number}" if ident is None else str(ident), good, tuple(materials), vehicle, rule=rule)
        value = unit if unit is not None else good.transaction_value
        return Holding(bom, volume or 0.0, value or 0.0, hts or (good.hs if len(good.hs) >= 8 else None), plants)

    def code(self, raw: Any) -> str | None:
        """An HS code (6 to 10 digits, a known subheading) without dots, or None."""
        if not isinstance(raw, str):
            return None
        found = self._codes.get(raw, _UNSET)
        if found is _UNSET:
            found = self._codes[raw] = normalise(raw) if hscodes.is_known(raw) else None
        return found  # type: ignore[return-value]

    def country(self, raw: Any) -> str | None:
        """An ISO 3166 code (alpha-2 or alpha-3) as alpha-2, or None."""
        if not isinstance(raw, str):
            return None
        found = self._countries.get(raw, _UNSET)
        if found is _UNSET:
            found = self._countries[raw] = country_code(Checker(""), raw, None, "")
        return found  # type: ignore[return-value]

    def _hts(self, line: _Line, raw: Any) -> str | None:
        if raw is None:
            return None
        digits = raw.replace(".", "") if isinstance(raw, str) else ""
        if not (digits.isdigit() and len(digits) in (8, 10)):
            line.add("hts", raw, "is not an HTS line", "write the 8- or 10-digit line the good enters under")
            return None
        return digits

    def _good(self, line: _Line, raw: Any) -> Good | None:
        if not isinstance(raw, Mapping):
            line.add("good", raw, "is missing or not an object", "give good: {description, hs, country, ...}")
            return None
        line.unknown(raw, GOOD_KEYS, "good.")
        hs = self.code(raw.get("hs"))
        if hs is None:
            line.add("good.hs", raw.get("hs"), "is not a known HS code", "write 6, 8 or 10 digits, e.g. '8708.99'")
        country = self.country(raw.get("country"))
        if country not in USMCA_COUNTRIES:
            line.add("good.country", raw.get("country"), "is not US, CA or MX", "give where the good is produced")
        currency = raw.get("currency", "USD")
        if not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha()):
            line.add("good.currency", currency, "is not a currency code", "write e.g. USD")
        numbers = {key: line.number(raw, key, "good.", positive=key in POSITIVE) for key in GOOD_NUMBERS}
        net = _net_cost(line, numbers)
        tv, shipping = numbers["transaction_value"], numbers["international_shipping"] or 0.0
        if tv is None and net is None:
            line.add("good.transaction_value", None, "is missing, and so is net_cost", "give one (or total_cost)")
        if tv is not None and shipping >= tv:
            line.add("good.international_shipping", shipping, "is not less than transaction_value", "check both")
        klass = raw.get("for_vehicle")
        if klass is not None and klass not in VEHICLE_CLASSES:
            line.add("good.for_vehicle", klass, "is not a vehicle class", f"write one of {', '.join(VEHICLE_CLASSES)}")
        equipment = line.flag(raw, "original_equipment", "good.", True)
        export_to = self.country(raw["export_to"]) if raw.get("export_to") is not None else None
        if raw.get("export_to") is not None and export_to not in USMCA_COUNTRIES:
            line.add("good.export_to", raw["export_to"], "is not US, CA or MX", "give the importing USMCA country")
        if line.bad or hs is None or country is None:
            return None
        description = str(raw.get("description") or "")
        return Good(
            description,
            hs,
            country,
            currency.upper(),
            tv,
            net,
            shipping,
            for_vehicle=klass,
            original_equipment=bool(equipment),
            export_to=export_to,
        )

    def _materials(self, line: _Line, raw: Any) -> list[Material]:
        if not isinstance(raw, list) or not raw:
            line.add("materials", None, "is missing or empty", "list the materials")
            return []
        out = []
        codes, countries, usmca, plain, unset = self._codes, self._countries, USMCA_COUNTRIES, _PLAIN, _UNSET
        for index, item in enumerate(raw):
            # the common material (only the plain keys; a known HS code and country seen before; a value; a true
            # or false status, or none) built at once; any other is checked field by field by `_material`
            if type(item) is dict and item.keys() <= plain:
                value: Any = item.get("value")
                hs_raw, origin_raw, originating = item.get("hs"), item.get("origin"), item.get("originating")
                if type(hs_raw) is str and type(origin_raw) is str and type(value) in (float, int) and value >= 0:
                    hs, origin = codes.get(hs_raw, unset), countries.get(origin_raw, unset)
                    if originating is None and type(origin) is str:
                        originating = origin in usmca
                    if type(hs) is str and type(origin) is str and type(originating) is bool:
                        description = str(item.get("description") or "")
                        out.append(checked_material(index + 1, description, hs, origin, originating, float(value)))
                        continue
            material = self._material(line, item, index)
            if material is not None:
                out.append(material)
        return out

    def _material(self, line: _Line, item: Any, index: int) -> Material | None:
        if not isinstance(item, dict):
            line.add(f"materials[{index}]", item, "is not an object", "give each material as an object")
            return None
        given = item if None not in item.values() else {k: v for k, v in item.items() if v is not None}
        extra = {} if given.keys() <= _PLAIN else self._extras(line, given, index)
        if extra is None:
            return None
        hs_raw, origin_raw, originating = given.get("hs"), given.get("origin"), given.get("originating")
        hs = None if hs_raw is None else self.code(hs_raw)
        origin = None if origin_raw is None else self.country(origin_raw)
        problem = _material_problem(given, hs, origin, extra)
        if problem is not None:
            field, shown, message, fix = problem
            line.add(f"materials[{index}].{field}", shown, message, fix)
            return None
        if originating is None:
            originating = origin in USMCA_COUNTRIES if origin is not None else extra.get("indirect", False)
        description = str(given.get("description") or "")
        return checked_material(index + 1, description, hs, origin, originating, float(given["value"]), extra)

    def _extras(self, line: _Line, given: Mapping[str, Any], index: int) -> dict[str, Any] | None:
        """The flags and numbers beyond the plain keys, checked; None when one is wrong."""
        where = f"materials[{index}]."
        before = len(self.problems)
        line.unknown(given, MATERIAL_KEYS, where)
        out: dict[str, Any] = {k: line.flag(given, k, where, False) for k in MATERIAL_FLAGS[1:] if k in given}
        out.update({k: line.number(given, k, where) for k in MATERIAL_NUMBERS if k in given})
        return None if len(self.problems) > before else out


def _material_problem(
    given: Mapping[str, Any], hs: str | None, origin: str | None, extra: Mapping[str, Any]
) -> tuple[str, Any, str, str] | None:
    """(field, value, message, fix) of the first problem of a material, by the origin engine's rules."""
    value, originating = given.get("value"), given.get("originating")
    if type(value) not in (int, float) or not value >= 0:  # type: ignore[operator]
        return "value", value, "is missing, negative or not a number", "give the material's value (>= 0)"
    if hs is None and "hs" in given:
        return "hs", given["hs"], "is not a known HS code", "write 6, 8 or 10 digits, e.g. '7318.15'"
    if origin is None and "origin" in given:
        return "origin", given["origin"], "is not a country code", "use an ISO 3166 code such as MX or CN"
    if originating is not None and type(originating) is not bool:
        return "originating", originating, "is not true or false", "write true or false"
    indirect = extra.get("indirect", False)
    if originating is None and origin is None and not indirect:
        return "origin", None, "is missing (and so is originating)", "give the country of origin, e.g. CN"
    status = originating if originating is not None else (origin in USMCA_COUNTRIES if origin else indirect)
    if hs is None and not (status or indirect or extra.get("packing", False)):
        return "hs", None, "is missing for a non-originating material", "give its HS code (the shift test needs it)"
    if extra.get("adjustments", 0.0) > value:
        return "adjustments", extra["adjustments"], "is more than the value", "s. 8(2) deductions cannot exceed it"
    return None


def _net_cost(line: _Line, numbers: Mapping[str, float | None]) -> NetCost | None:
    """net_cost as given, else total_cost less excluded_costs (s. 7(11))."""
    if numbers["net_cost"] is not None:
        return NetCost(numbers["net_cost"])
    total, excluded = numbers["total_cost"], numbers["excluded_costs"] or 0.0
    if total is None:
        return None
    if excluded >= total:
        line.add("good.excluded_costs", excluded, "is not less than total_cost", "net cost must be above zero")
        return None
    return NetCost(total, excluded)


class _Line:
    """The problems of one record, located by its line (row) and field."""

    def __init__(self, reader: RecordReader, number: int) -> None:
        self.reader, self.at, self.bad = reader, number, False

    def add(self, field: str, value: Any, message: str, fix: str) -> None:
        self.bad = True
        shown = None if value is None else str(value)
        self.reader.problems.append(Problem(self.reader.source, self.at, field, shown, message, fix, by="line"))

    def number(
        self, raw: Mapping[str, Any], key: str, where: str, *, required: bool = False, positive: bool = False
    ) -> float | None:
        value = raw.get(key)
        if value is None:
            if required:
                self.add(f"{where}{key}", None, "is missing", f"give {key} as a number")
            return None
        if type(value) not in (int, float) or value != value:
            self.add(f"{where}{key}", value, "is not a number", "write a plain number")
            return None
        if value < 0 or (positive and value == 0):
            self.add(f"{where}{key}", value, "is not above zero" if positive else "is negative", "check the value")
            return None
        return float(value)

    def flag(self, raw: Mapping[str, Any], key: str, where: str, default: bool) -> bool | None:
        value = raw.get(key, default)
        if type(value) is not bool:
            self.add(f"{where}{key}", value, "is not true or false", "write true or false")
            return None
        return value

    def unknown(self, raw: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
        for key in raw:
            if key not in allowed and raw[key] is not None:
                self.add(f"{where}{key}", raw[key], "is not a known key", f"the keys are {', '.join(allowed)}")


def _section(line: _Line, raw: Any, name: str, read: Any) -> Any:
    """A `vehicle:` or `rule:` section read by the origin engine's own section reader."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        line.add(name, raw, "is not an object", f"see docs/origin.md for the {name} section")
        return None
    checker = Checker(line.reader.source)
    section = read(checker, raw)
    for p in checker.problems:
        line.add(p.field or name, p.value, p.message, p.fix)
    return section


def _vehicle(line: _Line, raw: Any) -> tuple[Any, tuple[Plant, ...]]:
    """The vehicle section; `labour.plants` (wage_usd and the high-wage amounts per plant) are summed later by
    the wage rate a change file sets (Holding.at_wage)."""
    labour = raw.get("labour") if isinstance(raw, Mapping) else None
    if not isinstance(labour, Mapping) or "plants" not in labour:
        return _section(line, raw, "vehicle", vehicle_section), ()
    plants = []
    for k, plant in enumerate(labour["plants"] if isinstance(labour["plants"], list) else [None]):
        where = f"vehicle.labour.plants[{k}]."
        if not isinstance(plant, Mapping):
            line.add(where[:-1], plant, "is not an object", "give wage_usd and the plant's high-wage amounts")
            continue
        line.unknown(plant, Plant.KEYS, where)
        values = [line.number(plant, key, where, required=key == "wage_usd") for key in Plant.KEYS]
        plants.append(Plant(*(v or 0.0 for v in values)))
    rest = {k: v for k, v in labour.items() if k != "plants"} | {"high_wage_labour": 0, "high_wage_materials": 0}
    return _section(line, {**raw, "labour": rest}, "vehicle", vehicle_section), tuple(plants)


__all__ = ["GOOD_KEYS", "MATERIAL_KEYS", "RECORD_KEYS", "RecordReader"]
