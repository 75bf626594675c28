"""Automotive tests of Part 6 of SOR/2020-155: vehicle and part RVC thresholds by date, core parts
(with the super-core option), labour value content and the 70% steel and aluminium purchase requirement."""

from __future__ import annotations

import datetime as dt

from nearshore.origin import thresholds as limits
from nearshore.origin.automotive.phase import (
    ASSEMBLY_CREDIT,
    PART_CITATION,
    TECHNOLOGY_CAP,
    VEHICLE_RVC_CITATION,
    Step,
    step_on,
)
from nearshore.origin.automotive.tables import tables_of
from nearshore.origin.bom import BOM, Good, Vehicle, VehicleClass
from nearshore.origin.general import rvc
from nearshore.origin.result import EPSILON, Test

# Not "passenger vehicles" (s. 1, definition, para. (a)): "a vehicle with a compression-ignition engine of subheadings
# 8703.31 through 8703.33 or a vehicle of subheading 8703.90 with both a compression-ignition engine and an electric
# motor for propulsion". HS 2022 moved the latter out of 8703.90 into 8703.50 and 8703.70, whose texts are those very
# words ("with both compression-ignition internal combustion piston engine (diesel or semi-diesel) and electric motor
# as motors for propulsion"); they go to s. 20(2)(b) by their code.
COMPRESSION_IGNITION = frozenset({"870331", "870332", "870333", "870350", "870370"})
STAGING_RVC = 62.5  # s. 19(4)(a), (b)(i)
STAGING_PART_TV = 72.5  # s. 19(4)(b)(ii)
STAGING_LVC = (Step(dt.date(2020, 7, 1), 25, extra=10),)  # s. 19(4)(d)


def vehicle_class_of(hs: str) -> VehicleClass | None:
    """The Part 6 class implied by an HS code (s. 12 definitions); None when the code is not a vehicle."""
    six = hs[:6]
    if "870321" <= six <= "870390" and six not in COMPRESSION_IGNITION:
        return "passenger"
    if six in {"870421", "870431", "870441", "870451"}:
        return "light_truck"
    if six in {"870120", "870121", "870122", "870123", "870124", "870129"}:  # road tractors (HS 2012 8701.20)
        return "heavy_truck"
    if six in {"870422", "870423", "870432", "870442", "870443", "870452", "870460", "870490"}:
        return "heavy_truck"
    return None


def vehicle_thresholds(
    klass: VehicleClass, on: dt.date, vehicle: Vehicle | None = None
) -> tuple[dict[str, float], str] | None:
    """RVC by the net cost method for the vehicle itself (s. 13), in force on `on`; 62.5% for an eligible
    vehicle under an approved alternative staging regime (s. 19(4)(a))."""
    if staging_applies(vehicle, on):
        return {"net_cost": STAGING_RVC}, "SOR/2020-155 s. 19(4)(a) (alternative staging regime)"
    step = step_on(limits.vehicle_rvc(klass), on)
    if step is None:
        return None
    return {"net_cost": step.net_cost}, VEHICLE_RVC_CITATION[klass]


def part_thresholds(good: Good, on: dt.date) -> tuple[str, dict[str, float], str] | None:
    """(table, thresholds, citation) for an original-equipment part listed in Tables A.1-E, or None.

    Aftermarket parts keep the Schedule 1 rule (s. 14(18)).
    """
    if good.for_vehicle is None or not good.original_equipment:
        return None
    wanted = ("A.1", "B", "C") if good.for_vehicle != "heavy_truck" else ("D", "E")
    listed = [t for t in wanted if t in tables_of(good.hs)]
    if not listed:
        return None
    table = listed[0]
    if table == "A.1" and good.staging_until is not None and on <= good.staging_until:
        # s. 19(4)(b)(i)-(ii): a Table A.1 part for an eligible vehicle of an alternative staging regime
        citation = "SOR/2020-155 s. 19(4)(b) (Table A.1, alternative staging regime)"
        return table, {"net_cost": STAGING_RVC, "transaction_value": STAGING_PART_TV}, citation
    step = step_on(limits.part_rvc(table), on)
    if step is None:
        return None
    thresholds = {"net_cost": step.net_cost}
    if step.transaction_value is not None:
        thresholds["transaction_value"] = step.transaction_value
    return table, thresholds, PART_CITATION[table]


def core_parts_test(vehicle: Vehicle, on: dt.date) -> Test:
    """s. 14(4), 14(7), 14(10), 14(13): every Table A.2 part originating, or the super-core part."""
    step = step_on(limits.part_rvc("A.1"), on)
    citation = "SOR/2020-155 s. 14(4), 14(7), 14(13)"
    if not vehicle.core_parts or step is None:
        return Test(
            "Core parts (Table A.2)",
            citation,
            False,
            inputs="no core-part data (vehicle.core_parts) given: the requirement cannot be shown met",
        )
    required = step.net_cost
    rows = [(p, rvc(p.net_cost, p.vnm)) for p in vehicle.core_parts]
    weakest = min(rows, key=lambda row: row[1])
    if all(value >= required - EPSILON for _, value in rows):
        return Test(
            "Core parts (Table A.2)",
            citation,
            True,
            weakest[1],
            required,
            inputs=f"{len(rows)} parts each meet RVC(NC); lowest {weakest[0].name}",
        )
    total_nc = sum(p.net_cost for p in vehicle.core_parts)
    total_vnm = sum(p.vnm for p in vehicle.core_parts)
    combined = rvc(total_nc, total_vnm)
    return Test(
        "Core parts (super-core, Table A.2)",
        "SOR/2020-155 s. 14(10), 14(13)",
        combined >= required - EPSILON,
        combined,
        required,
        inputs=f"part {weakest[0].name} alone {weakest[1]:.1f}%; super-core NC {total_nc:,.2f}, VNM {total_vnm:,.2f}",
    )


def lvc_tests(vehicle: Vehicle, good: Good, on: dt.date, schedule: tuple[Step, ...] | None = None) -> list[Test]:
    """s. 18(1)-(2), 18(6), 18(9)-(13): labour value content on the net cost formula (a), or on the annual
    purchase value formula (b) when `annual_purchase_value` and `total_annual_purchase_value` are given."""
    step = step_on(schedule or limits.lvc(vehicle.vehicle_class), on)
    citation = "SOR/2020-155 s. 18(1)" if vehicle.vehicle_class == "passenger" else "SOR/2020-155 s. 18(2)"
    if schedule is not None:
        citation = "SOR/2020-155 s. 19(4)(d)"
    if step is None:
        return []
    labour = vehicle.labour
    apv, tapv = (labour.annual_purchase_value, labour.total_annual_purchase_value) if labour else (None, None)
    if labour is not None and apv is not None and tapv is not None:
        # s. 18(6)(b): ((APV + HWLC) / (TAPV + HWLC)) x 100 + HWTC + HWAC
        wage_points = (apv + labour.high_wage_labour) / (tapv + labour.high_wage_labour) * 100
        formula = f"APV {apv:,.2f} + HWLC {labour.high_wage_labour:,.2f} of TAPV {tapv:,.2f} + HWLC; s. 18(6)(b)"
    elif labour is None or good.net_cost is None:
        missing = "vehicle.labour" if labour is None else "good.net_cost"
        return [
            Test(
                "Labour value content",
                citation,
                False,
                inputs=f"no {missing} given: the LVC cannot be shown met",
            )
        ]
    else:
        nc = good.net_cost.value
        wage_points = (labour.high_wage_labour + labour.high_wage_materials + labour.high_wage_transport) / nc * 100
        formula = (
            f"HWLC {labour.high_wage_labour:,.2f} + HWM {labour.high_wage_materials:,.2f} + transport "
            f"{labour.high_wage_transport:,.2f} of NC {nc:,.2f}; s. 18(6)(a)"
        )
    technology = 0.0
    if labour.production_wages > 0:
        technology = min(labour.rd_it_wages / labour.production_wages * 100, TECHNOLOGY_CAP)
    assembly = ASSEMBLY_CREDIT if labour.high_wage_assembly_plant else 0.0
    total = wage_points + technology + assembly
    return [
        Test(
            "LVC high-wage material and labour",
            f"{citation}; {formula.rsplit('; ', 1)[1]}",
            wage_points >= (step.extra or 0) - EPSILON,
            wage_points,
            step.extra,
            inputs=formula.rsplit("; ", 1)[0],
        ),
        Test(
            "LVC total",
            f"{citation}; {formula.rsplit('; ', 1)[1]}, 18(10), 18(12)-(13)",
            total >= step.net_cost - EPSILON,
            total,
            step.net_cost,
            inputs=f"{wage_points:.1f} + technology credit {technology:.1f} (cap {TECHNOLOGY_CAP:g}) "
            f"+ assembly credit {assembly:g}",
        ),
    ]


def steel_aluminum_tests(vehicle: Vehicle) -> list[Test]:
    """s. 17(1), 17(10): at least 70% by value of steel and of aluminium purchases originating."""
    tests = []
    required = limits.steel_aluminum_share()
    for metal in ("steel", "aluminum"):
        buys = [p for p in vehicle.purchases if p.metal == metal]
        if not buys:
            continue
        total = sum(p.value for p in buys)
        share = sum(p.value for p in buys if p.originating) / total * 100 if total else 0.0
        tests.append(
            Test(
                f"{metal.capitalize()} purchases originating",
                "SOR/2020-155 s. 17(1)",
                share >= required - EPSILON,
                share,
                required,
                inputs=f"{len(buys)} purchases worth {total:,.2f}",
            )
        )
    if not tests:
        tests.append(
            Test(
                "Steel and aluminum purchases",
                "SOR/2020-155 s. 17(1)",
                False,
                inputs="no steel/aluminum purchase data (vehicle.steel_aluminum) given",
            )
        )
    return tests


def staging_applies(vehicle: Vehicle | None, on: dt.date) -> bool:
    """s. 19(1)-(2): an approved alternative staging regime for a passenger vehicle or light truck, in force."""
    return (
        vehicle is not None
        and vehicle.alternative_staging is not None
        and vehicle.vehicle_class in ("passenger", "light_truck")
        and on <= vehicle.alternative_staging.until
    )


def automotive_tests(bom: BOM, on: dt.date) -> list[Test]:
    """The vehicle-level tests (beyond RVC) for a passenger vehicle, light truck or heavy truck."""
    vehicle = bom.vehicle
    if vehicle is None:
        return []
    tests: list[Test] = []
    if staging_applies(vehicle, on):
        # s. 19(4)-(5): no core parts test; LVC 25% with 10 points high-wage material and manufacturing;
        # steel and aluminum unless the approved regime exempts the producer.
        tests.extend(lvc_tests(vehicle, bom.good, on, STAGING_LVC))
        if vehicle.alternative_staging is None or not vehicle.alternative_staging.steel_aluminum_exempt:
            tests.extend(steel_aluminum_tests(vehicle))
        return tests
    if vehicle.vehicle_class in ("passenger", "light_truck"):
        tests.append(core_parts_test(vehicle, on))
    tests.extend(lvc_tests(vehicle, bom.good, on))
    tests.extend(steel_aluminum_tests(vehicle))
    return tests
