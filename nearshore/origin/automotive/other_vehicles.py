"""Other vehicles and their parts (SOR/2020-155 s. 20, Tables F and G).

`good.other_vehicle` names the kind of s. 20 vehicle: the good itself when it is a vehicle, else the vehicle
the part is for (original equipment). Tractors of 87.01 (other than 8701.20), dumpers of 8704.10, special
purpose vehicles of 87.05 and compression-ignition (diesel) vehicles of 8703.31-.33, 8703.50 and 8703.70 (which the
definition of "passenger vehicle" leaves out, s. 1) are recognised from their HS code; every other kind needs the
field, because the regulation tells them apart by use (an off-road truck, a motorhome), not by code.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from nearshore.data.reference.hs import dotted
from nearshore.origin.automotive.other_tables import table_f_row, table_g, table_g_component, table_g_material
from nearshore.origin.automotive.vehicle import COMPRESSION_IGNITION
from nearshore.origin.bom import Good, Material


@dataclass(frozen=True)
class OtherVehicle:
    paragraph: str  # "20(2)(a)" ...
    threshold: float  # RVC, net cost method
    hs_prefixes: tuple[str, ...]
    label: str


_PASSENGER = tuple(f"8703{d}" for d in ("21", "22", "23", "24", "31", "32", "33", "40", "50", "60", "70", "80", "90"))
OTHER_VEHICLES: dict[str, OtherVehicle] = {
    "bus_15_or_fewer": OtherVehicle("20(2)(a)", 62.5, ("8702",), "vehicle for 15 or fewer persons"),
    "diesel_passenger": OtherVehicle("20(2)(b)", 62.5, _PASSENGER, "passenger vehicle with a diesel engine"),
    "motorcycle_3_4_wheel": OtherVehicle("20(2)(c)", 62.5, _PASSENGER, "three or four-wheeled motorcycle"),
    "motorhome": OtherVehicle("20(2)(d)", 62.5, _PASSENGER, "motorhome or entertainer coach"),
    "ambulance_hearse_prison_van": OtherVehicle("20(2)(e)", 62.5, _PASSENGER, "ambulance, hearse or prison van"),
    "off_road_passenger": OtherVehicle("20(2)(f)", 62.5, _PASSENGER, "off-road vehicle of 8703"),
    "off_road_light_truck": OtherVehicle(
        "20(2)(g)", 62.5, ("870421", "870431", "870441", "870451"), "off-road light truck"
    ),
    "tractor": OtherVehicle("20(3)(a)(i)", 60, ("8701",), "tractor of 87.01 (not 8701.20)"),
    "bus_16_or_more": OtherVehicle("20(3)(a)(ii)", 60, ("8702",), "vehicle for 16 or more persons"),
    "dumper": OtherVehicle("20(3)(a)(iii)", 60, ("870410",), "dumper of 8704.10"),
    "off_road_heavy_truck": OtherVehicle(
        "20(3)(a)(iv)",
        60,
        ("870422", "870423", "870432", "870442", "870443", "870452", "870460", "870490"),
        "off-road truck of 8704.22-8704.90",
    ),
    "special_purpose": OtherVehicle("20(3)(a)(v)", 60, ("8705",), "special purpose vehicle of 87.05"),
    "chassis": OtherVehicle("20(3)(a)(vi)", 60, ("8706",), "chassis of 87.06 not for a passenger vehicle or truck"),
}
OTHER_VEHICLE_KINDS = tuple(OTHER_VEHICLES)
ROAD_TRACTORS = ("870120", "870121", "870122", "870123", "870124", "870129")  # HS 2012 8701.20 = HS 2022 8701.21-.29
_TABLE_F_EXCLUDED = ("848210", "848220", "848230", "848240", "848250", "848280", "848320", "848330")


def is_vehicle_code(hs: str) -> bool:
    """Headings 87.01-87.06: the good is itself a vehicle (or a chassis with engine)."""
    return hs[:4] in {"8701", "8702", "8703", "8704", "8705", "8706"}


def other_vehicle_of(good: Good) -> str | None:
    """The s. 20 kind of the good (if a vehicle) or of the vehicle it is for: the BOM's, else by HS code."""
    return good.other_vehicle or _kind_by_code(good.hs)


@functools.lru_cache(maxsize=20_000)
def _kind_by_code(hs: str) -> str | None:
    """The s. 20 kind a code alone says (asked four times for every BOM determined)."""
    if hs.startswith("8701") and not hs.startswith(ROAD_TRACTORS):
        return "tractor"
    if hs.startswith("870410"):
        return "dumper"
    if hs.startswith("8705"):
        return "special_purpose"
    if hs[:6] in COMPRESSION_IGNITION:
        return "diesel_passenger"
    return None


def kind_fits(kind: str, hs: str) -> bool:
    """Whether `hs` is a code of the s. 20 kind (road tractors of HS 2012 8701.20 are heavy trucks, s. 12)."""
    if kind == "tractor" and hs.startswith(ROAD_TRACTORS):
        return False
    return hs.startswith(OTHER_VEHICLES[kind].hs_prefixes)


def other_vehicle_thresholds(good: Good) -> tuple[dict[str, float], str] | None:
    """s. 20(2)(a)-(g), 20(3)(a): RVC (net cost) for a vehicle of the kind given, "despite section 13 and
    Schedule 1"."""
    kind = other_vehicle_of(good)
    if kind is None or not is_vehicle_code(good.hs) or not kind_fits(kind, good.hs):
        return None
    spec = OTHER_VEHICLES[kind]
    return {"net_cost": spec.threshold}, f"SOR/2020-155 s. {spec.paragraph} ({spec.label})"


def other_part_thresholds(good: Good) -> tuple[str, dict[str, float], str] | None:
    """(table, thresholds, citation) for an original-equipment part of an other vehicle, or None.

    s. 20(2)(h) engines of 84.07/84.08 and gear boxes of 8708.40 for a (2)(a)-(g) vehicle: 62.5%;
    s. 20(3)(b) the same for a (3)(a) vehicle: 60%; s. 20(3)(c) other Table F goods (except bearings of
    8482.10-8482.80, 8483.20, 8483.30) subject to an RVC requirement, for either kind: 60%; all net cost.
    """
    kind = other_vehicle_of(good)
    if kind is None or is_vehicle_code(good.hs) or not good.original_equipment:
        return None
    spec = OTHER_VEHICLES[kind]
    group = "2" if spec.paragraph.startswith("20(2)") else "3"
    if good.hs[:4] in {"8407", "8408"} or good.hs.startswith("870840"):
        if group == "2":
            return "s20", {"net_cost": 62.5}, f"SOR/2020-155 s. 20(2)(h) (engine or gear box for a {spec.label})"
        return "s20", {"net_cost": 60.0}, f"SOR/2020-155 s. 20(3)(b) (engine or gear box for a {spec.label})"
    row = table_f_row(good.hs)
    if row is None or good.hs.startswith(_TABLE_F_EXCLUDED):
        return None
    code, _, ex = row
    scope = f"Table F {dotted(code)}{', ex' if ex else ''}"
    return "F", {"net_cost": 60.0}, f"SOR/2020-155 s. 20(3)(c) ({scope}; {spec.label})"


def traced_vnm(good: Good, materials: Sequence[Material]) -> tuple[float, list[str]] | None:
    """s. 20(4)(a): for a Table F part for a (2)(a)-(g) vehicle, or a Table G component (engine, gear box)
    for a (3)(a) vehicle, each material listed in Table F or G counts, at the producer's choice, as its
    non-originating value or the VNM used in its production (`production_vnm`); the lower is taken. None
    when s. 20(4) does not govern the good or no material gives a `production_vnm`. For the vehicle itself
    s. 20(5) keeps the plain sum."""
    kind = other_vehicle_of(good)
    if kind is None or is_vehicle_code(good.hs) or not good.original_equipment:
        return None
    group = "2" if OTHER_VEHICLES[kind].paragraph.startswith("20(2)") else "3"
    governed = (group == "2" and table_f_row(good.hs) is not None) or (
        group == "3" and table_g_component(good.hs) is not None
    )
    if not governed:
        return None
    total, used = 0.0, []
    for m in materials:
        listed = table_f_row(m.hs) is not None or (
            table_g_component(good.hs) is not None and table_g_material(good.hs, m.description) is not None
        )
        if listed and m.production_vnm is not None and m.production_vnm < m.vnm:
            total += m.production_vnm
            used.append(f"line {m.line} ({m.description or m.hs}): {m.production_vnm:,.2f} instead of {m.vnm:,.2f}")
        else:
            total += m.vnm
    return (total, used) if used else None


def table_notes(good: Good) -> list[str]:
    """What Tables F and G say about a part for an other vehicle (shown with the determination)."""
    kind = other_vehicle_of(good)
    if kind is None or is_vehicle_code(good.hs):
        return []
    notes = []
    row = table_f_row(good.hs)
    if row is not None:
        code, description, ex = row
        notes.append(
            f"Table F (SOR/2020-155 Part 6) lists {'ex ' if ex else ''}{dotted(code)}: {description}"
            + (" (only the goods described)" if ex else "")
        )
    codes = table_g_component(good.hs)
    if row is None and codes is None:
        notes.append(
            "good.other_vehicle is given but the good is neither in Table F nor an engine or gear box "
            "(SOR/2020-155 s. 20(2)(h), 20(3)(b)-(c)): its Schedule 1 rule applies unchanged"
        )
    if codes is not None:
        names = [m for c, _, m in table_g() if c == codes]
        notes.append(
            "Table G component; its listed materials (s. 20(4), give production_vnm to use their own VNM): "
            + ", ".join(names)
        )
    return notes
