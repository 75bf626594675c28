"""The numeric thresholds of the rules of origin as one value that a rule-change scenario can replace.

`LAW` holds the thresholds in force (the Part 6 phase-in tables of `automotive.phase`, the s. 17 steel and
aluminum share, the s. 5 de minimis share). The engine reads them through the functions below (`vehicle_rvc`,
`part_rvc`, `lvc`, `steel_aluminum_share`, `de_minimis_share`); `using(thresholds)` makes other thresholds active
for the code run inside it (a context variable: each thread and task sees its own), e.g.

    with using(replace(LAW, lvc={**LVC, "passenger": (*LVC["passenger"], Step(date(2027, 7, 1), 45, extra=25))})):
        determine(bom, date(2027, 7, 1))

`recording()` collects which thresholds a determination read; `changed(LAW, other)` says which differ. A
determination that read none of the changed ones gives the same answer under the other thresholds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Final

from nearshore.origin.automotive.phase import LVC, PART_RVC, STEEL_ALUMINUM_SHARE, VEHICLE_RVC, Step
from nearshore.origin.bom import VehicleClass

Read = tuple[str, str]  # (threshold, key): ("lvc", "passenger"), ("de_minimis_share", "")


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
_READS: ContextVar[set[Read] | None] = ContextVar("nearshore_origin_threshold_reads", default=None)


def active() -> Thresholds:
    """The thresholds the engine applies now."""
    return _ACTIVE.get()


def _read(name: str, key: str = "") -> Thresholds:
    reads = _READS.get()
    if reads is not None:
        reads.add((name, key))
    return _ACTIVE.get()


def vehicle_rvc(klass: VehicleClass) -> tuple[Step, ...]:
    return _read("vehicle_rvc", klass).vehicle_rvc[klass]


def part_rvc(table: str) -> tuple[Step, ...]:
    return _read("part_rvc", table).part_rvc[table]


def lvc(klass: VehicleClass) -> tuple[Step, ...]:
    return _read("lvc", klass).lvc[klass]


def steel_aluminum_share() -> float:
    return _read("steel_aluminum_share").steel_aluminum_share


def de_minimis_share() -> float | None:
    return _read("de_minimis_share").de_minimis_share


@contextmanager
def using(thresholds: Thresholds) -> Iterator[Thresholds]:
    """Apply `thresholds` to every determination made inside the block."""
    token = _ACTIVE.set(thresholds)
    try:
        yield thresholds
    finally:
        _ACTIVE.reset(token)


@contextmanager
def recording() -> Iterator[set[Read]]:
    """The set of thresholds read inside the block, filled as the engine reads them."""
    reads: set[Read] = set()
    token = _READS.set(reads)
    try:
        yield reads
    finally:
        _READS.reset(token)


def changed(a: Thresholds, b: Thresholds) -> frozenset[Read]:
    """The thresholds whose values differ between `a` and `b`."""
    out: set[Read] = set()
    for name in ("vehicle_rvc", "part_rvc", "lvc"):
        left, right = getattr(a, name), getattr(b, name)
        out |= {(name, key) for key in set(left) | set(right) if left.get(key) != right.get(key)}
    for name in ("steel_aluminum_share", "de_minimis_share"):
        if getattr(a, name) != getattr(b, name):
            out.add((name, ""))
    return frozenset(out)


__all__ = [
    "LAW",
    "Read",
    "Thresholds",
    "active",
    "changed",
    "de_minimis_share",
    "lvc",
    "part_rvc",
    "recording",
    "steel_aluminum_share",
    "using",
    "vehicle_rvc",
]
