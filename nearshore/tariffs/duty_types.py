"""What the duty engine takes and gives: an entry line, its duty layers (components) and the result, and the
named bases a layer's rate applies to (customs value, metal value, value less metal, non-U.S. content, quantity).
The calculation is in duty.py, the checks of an entry's fields in duty_inputs.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from nearshore.data.reference.countries import Partner
from nearshore.tariffs.schedule import Line

BasisKind = Literal["value", "metal", "value-metal", "non-us", "us", "quantity", "none"]
BASIS_LABELS: dict[str, str] = {
    "value": "customs value",
    "metal": "metal value",
    "value-metal": "value less metal content",
    "non-us": "non-U.S. content",
    "us": "U.S. content",
    "quantity": "quantity",
    "none": "-",
}


@dataclass(frozen=True)
class Entry:
    """One customs entry line. Values in U.S. dollars (customs value, FOB)."""

    hts: str
    origin: str
    value: float
    on: date
    quantity: float | None = None
    unit: str | None = None
    usmca: bool = False
    program: str | None = None
    metal_value: float | None = None
    us_content: float | None = None
    auto_part: bool | None = None  # a part of a passenger vehicle or light truck; None = not said
    claims: tuple[str, ...] = ()  # Chapter 99 headings the importer claims (facts only the importer knows)


@dataclass(frozen=True)
class Component:
    """One duty layer: `amount = rate x basis_amount` (ad valorem) or `rate x quantity` (specific)."""

    layer: str
    authority: str
    heading: str
    basis: BasisKind
    basis_amount: float
    rate: float
    rate_text: str
    amount: float
    citation: str
    note: str = ""


@dataclass(frozen=True)
class DutyResult:
    entry: Entry
    origin: Partner
    line: Line
    components: tuple[Component, ...]
    total: float
    revision: str
    policy_version: str
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def effective_rate(self) -> float:
        return self.total / self.entry.value if self.entry.value else 0.0


def percent(rate: float) -> str:
    """0.025 -> '2.5%'."""
    return f"{round(rate * 100, 6):g}%"


def basis_amount(kind: BasisKind, entry: Entry) -> float:
    value = entry.value
    metal = value if entry.metal_value is None else min(entry.metal_value, value)
    us = 0.0 if entry.us_content is None else min(entry.us_content, value)
    amounts = {
        "value": value,
        "metal": metal,
        "value-metal": value - metal,
        "non-us": value - us,
        "us": us,
        "quantity": entry.quantity or 0.0,
        "none": 0.0,
    }
    return amounts[kind]


__all__ = ["BASIS_LABELS", "BasisKind", "Component", "DutyResult", "Entry", "basis_amount", "percent"]
