"""The numeric thresholds of the rules of origin as one value that a rule-change scenario can replace.

`LAW` holds the thresholds in force (the Part 6 phase-in tables of `automotive.phase`, the s. 17 steel and
aluminum share, the s. 5 de minimis share); the engine reads `active()`. `using(thresholds)` makes other
thresholds active for the code run inside it (a context variable: each thread and task sees its own), e.g.

    with using(replace(LAW, lvc={**LVC, "passenger": (*LVC["passenger"], Step(date(2027, 7, 1), 45, extra=25))})):
        determine(bom, date(2027, 7, 1))
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Final

from nearshore.origin.automotive.phase import LVC, PART_RVC, STEEL_ALUMINUM_SHARE, VEHICLE_RVC, Step
from nearshore.origin.bom import VehicleClass


@dataclass(frozen=True)
class Thresholds:
    """vehicle_rvc (s. 13), part_rvc (Tables A.1-E, s. 14-15; A.1 also for core parts), lvc (s. 18): dated steps;
    steel_aluminum_share (s. 17(1)); de_minimis_share (s. 5(1), 5(4)), None for the law's 10%; `source` says
    where they come from."""

    vehicle_rvc: Mapping[VehicleClass, tuple[Step, ...]] = field(default_factory=lambda: VEHICLE_RVC)
    part_rvc: Mapping[str, tuple[Step, ...]] = field(default_factory=lambda: PART_RVC)
    lvc: Mapping[VehicleClass, tuple[Step, ...]] = field(default_factory=lambda: LVC)
    steel_aluminum_share: float = STEEL_ALUMINUM_SHARE
    de_minimis_share: float | None = None
    source: str = "SOR/2020-155 as in force"


LAW: Final = Thresholds()
_ACTIVE: ContextVar[Thresholds] = ContextVar("nearshore_origin_thresholds", default=LAW)


def active() -> Thresholds:
    """The thresholds the engine applies now."""
    return _ACTIVE.get()


@contextmanager
def using(thresholds: Thresholds) -> Iterator[Thresholds]:
    """Apply `thresholds` to every determination made inside the block."""
    token = _ACTIVE.set(thresholds)
    try:
        yield thresholds
    finally:
        _ACTIVE.reset(token)


__all__ = ["LAW", "Thresholds", "active", "using"]
