"""Automotive goods (Part 6 of SOR/2020-155): Tables A.1-E, phase-in schedules, and the vehicle tests."""

from __future__ import annotations

from nearshore.origin.automotive.other_tables import table_f, table_f_row, table_g, table_g_material
from nearshore.origin.automotive.other_vehicles import OTHER_VEHICLES, other_part_thresholds, other_vehicle_thresholds
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
