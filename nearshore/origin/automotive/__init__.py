"""Automotive goods (Part 6 of SOR/2020-155): Tables A.1-E, phase-in schedules, and the vehicle tests.

The public names are imported on first use: the tables and phase-in schedules (`tables`, `phase`) are data that
lower modules read (`origin.hs`, `origin.thresholds`), while the tests (`vehicle`, `other_tables`) build on the
general provisions (`origin.general`), which read those thresholds; importing the package must not pull the tests
in under them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nearshore._lazy import exports as _exports

if TYPE_CHECKING:
    from nearshore.origin.automotive.other_tables import table_f, table_f_row, table_g, table_g_material
    from nearshore.origin.automotive.other_vehicles import (
        OTHER_VEHICLES,
        other_part_thresholds,
        other_vehicle_thresholds,
    )
    from nearshore.origin.automotive.phase import LVC, PART_RVC, VEHICLE_RVC, Step, step_on
    from nearshore.origin.automotive.tables import TABLE_NAMES, auto_tables, tables_of
    from nearshore.origin.automotive.vehicle import (
        automotive_tests,
        core_parts_test,
        lvc_tests,
        part_thresholds,
        steel_aluminum_tests,
        vehicle_class_of,
        vehicle_thresholds,
    )

_ON_FIRST_USE = {
    **dict.fromkeys(("table_f", "table_f_row", "table_g", "table_g_material"), f"{__name__}.other_tables"),
    **dict.fromkeys(
        ("OTHER_VEHICLES", "other_part_thresholds", "other_vehicle_thresholds"), f"{__name__}.other_vehicles"
    ),
    **dict.fromkeys(("LVC", "PART_RVC", "VEHICLE_RVC", "Step", "step_on"), f"{__name__}.phase"),
    **dict.fromkeys(("TABLE_NAMES", "auto_tables", "tables_of"), f"{__name__}.tables"),
    **dict.fromkeys(
        (
            "automotive_tests",
            "core_parts_test",
            "lvc_tests",
            "part_thresholds",
            "steel_aluminum_tests",
            "vehicle_class_of",
            "vehicle_thresholds",
        ),
        f"{__name__}.vehicle",
    ),
}

__getattr__, __dir__ = _exports(__name__, _ON_FIRST_USE)

__all__ = [
    "LVC",
    "OTHER_VEHICLES",
    "PART_RVC",
    "TABLE_NAMES",
    "VEHICLE_RVC",
    "Step",
    "auto_tables",
    "automotive_tests",
    "core_parts_test",
    "lvc_tests",
    "other_part_thresholds",
    "other_vehicle_thresholds",
    "part_thresholds",
    "steel_aluminum_tests",
    "step_on",
    "table_f",
    "table_f_row",
    "table_g",
    "table_g_material",
    "tables_of",
    "vehicle_class_of",
    "vehicle_thresholds",
]
