"""Phase-in schedules of Part 6 of SOR/2020-155 (Appendix to Annex 4-B), as data: thresholds by date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nearshore.origin.bom import VehicleClass


@dataclass(frozen=True)
class Step:
    start: dt.date
    net_cost: float
    transaction_value: float | None = None
    extra: float | None = None  # LVC: minimum high-wage material and labour points


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# s. 13 (8703.21-8703.90 passenger vehicles; 8704.21, 8704.31 light trucks): RVC, net cost only.
VEHICLE_RVC: dict[VehicleClass, tuple[Step, ...]] = {
    "passenger": (
        Step(_d("2020-07-01"), 66),
        Step(_d("2021-07-01"), 69),
        Step(_d("2022-07-01"), 72),
        Step(_d("2023-07-01"), 75),
    ),
    "light_truck": (
        Step(_d("2020-07-01"), 66),
        Step(_d("2021-07-01"), 69),
        Step(_d("2022-07-01"), 72),
        Step(_d("2023-07-01"), 75),
    ),
    "heavy_truck": (Step(_d("2020-07-01"), 60), Step(_d("2024-07-01"), 64), Step(_d("2027-07-01"), 70)),
}
VEHICLE_RVC_CITATION = {
    "passenger": "SOR/2020-155 s. 13 (8703.21-8703.90)",
    "light_truck": "SOR/2020-155 s. 13 (8704.21, 8704.31)",
    "heavy_truck": "SOR/2020-155 s. 13 (8701.20, 8704.22-8704.23, 8704.32-8704.90)",
}

# Parts for use as original equipment: s. 14(13) Table A.1/A.2, 14(15) Table B, 14(17) Table C,
# 15(2) Table D, 15(3) Table E.
PART_RVC: dict[str, tuple[Step, ...]] = {
    "A.1": (
        Step(_d("2020-07-01"), 66, 76),
        Step(_d("2021-07-01"), 69, 79),
        Step(_d("2022-07-01"), 72, 82),
        Step(_d("2023-07-01"), 75, 85),
    ),
    "B": (
        Step(_d("2020-07-01"), 62.5, 72.5),
        Step(_d("2021-07-01"), 65, 75),
        Step(_d("2022-07-01"), 67.5, 77.5),
        Step(_d("2023-07-01"), 70, 80),
    ),
    "C": (
        Step(_d("2020-07-01"), 62, 72),
        Step(_d("2021-07-01"), 63, 73),
        Step(_d("2022-07-01"), 64, 74),
        Step(_d("2023-07-01"), 65, 75),
    ),
    "D": (Step(_d("2020-07-01"), 60, 70), Step(_d("2024-07-01"), 64, 74), Step(_d("2027-07-01"), 70, 80)),
    "E": (Step(_d("2020-07-01"), 50, 60), Step(_d("2024-07-01"), 54, 64), Step(_d("2027-07-01"), 60, 70)),
}
PART_CITATION = {
    "A.1": "SOR/2020-155 s. 14(2), 14(13) (Table A.1)",
    "B": "SOR/2020-155 s. 14(14)-(15) (Table B)",
    "C": "SOR/2020-155 s. 14(16)-(17) (Table C)",
    "D": "SOR/2020-155 s. 15(2) (Table D)",
    "E": "SOR/2020-155 s. 15(3) (Table E)",
}

# s. 18(1) passenger vehicles: LVC total and minimum high-wage material and labour points; s. 18(2) trucks.
LVC: dict[VehicleClass, tuple[Step, ...]] = {
    "passenger": (
        Step(_d("2020-07-01"), 30, extra=15),
        Step(_d("2021-07-01"), 33, extra=18),
        Step(_d("2022-07-01"), 36, extra=21),
        Step(_d("2023-07-01"), 40, extra=25),
    ),
    "light_truck": (Step(_d("2020-07-01"), 45, extra=30),),
    "heavy_truck": (Step(_d("2020-07-01"), 45, extra=30),),
}
TECHNOLOGY_CAP = 10.0  # s. 18(1)-(2): no more than 10 points of technology expenditures
ASSEMBLY_CREDIT = 5.0  # s. 18(12)-(13)
STEEL_ALUMINUM_SHARE = 70.0  # s. 17(1)
ENTRY_INTO_FORCE = _d("2020-07-01")


def step_on(schedule: tuple[Step, ...], on: dt.date) -> Step | None:
    """The step in force on `on` (None before the Agreement entered into force)."""
    current = None
    for step in schedule:
        if on >= step.start:
            current = step
    return current
