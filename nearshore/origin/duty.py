"""The duty consequence of an origin determination, through an explicit interface to the tariff engine.

The tariff engine (`nearshore.tariffs`, another piece of the project) implements `DutyCalculator`; this module
only states the contract and asks it for two quotes: the USMCA rate if originating, the stacked duty if not.
Until an implementation is registered (`register_duty_calculator`) or `nearshore.tariffs` exposes a
`duty_calculator()` factory, the result says that no tariff engine is available.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from nearshore.origin.result import Determination


@dataclass(frozen=True)
class DutyQuote:
    """What the tariff engine returns: the total ad valorem-equivalent rate, the amount and the layers."""

    rate: float
    amount: float
    description: str
    layers: tuple[str, ...] = ()


@runtime_checkable
class DutyCalculator(Protocol):
    """Implemented by the tariff engine: duty on `value` of HTS `hts` from `origin` on `date`.

    `usmca=True` asks for the rate when a USMCA preference is claimed (the good originates); False for the
    duty that applies without it (MFN plus any additional duties, stacked).
    """

    def duty(self, hts: str, origin: str, value: float, date: dt.date, usmca: bool) -> DutyQuote: ...


@dataclass(frozen=True)
class DutyConsequence:
    available: bool
    message: str
    claimed: DutyQuote | None = None
    without_preference: DutyQuote | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "available": self.available,
            "message": self.message,
            "claimed": None if self.claimed is None else self.claimed.__dict__,
            "without_preference": None
            if self.without_preference is None
            else self.without_preference.__dict__,
        }


_REGISTERED: list[DutyCalculator] = []


def register_duty_calculator(calculator: DutyCalculator) -> None:
    """Make `calculator` the one `find_duty_calculator` returns (the tariff engine calls this)."""
    _REGISTERED[:] = [calculator]


def find_duty_calculator() -> DutyCalculator | None:
    """The registered calculator, else `nearshore.tariffs.duty_calculator()` if that exists, else None."""
    if _REGISTERED:
        return _REGISTERED[0]
    try:
        module = importlib.import_module("nearshore.tariffs")
    except ImportError:
        return None
    factory = getattr(module, "duty_calculator", None)
    if factory is None:
        return None
    calculator = factory()
    return calculator if isinstance(calculator, DutyCalculator) else None


def duty_consequence(
    result: Determination,
    value: float | None,
    origin: str,
    calculator: DutyCalculator | None = None,
) -> DutyConsequence:
    """Originating: the USMCA quote and what it saves; not originating: the stacked duty that applies."""
    calculator = calculator or find_duty_calculator()
    if calculator is None:
        return DutyConsequence(False, "duty consequence not computed: no tariff engine is available")
    if value is None:
        return DutyConsequence(False, "duty consequence not computed: the BOM gives no transaction value")
    without = calculator.duty(result.hs, origin, value, result.date, False)
    if not result.qualifies:
        return DutyConsequence(
            True,
            f"not originating: {without.description} ({without.rate:.2%}, {without.amount:,.2f})",
            without_preference=without,
        )
    claimed = calculator.duty(result.hs, origin, value, result.date, True)
    saving = without.amount - claimed.amount
    return DutyConsequence(
        True,
        f"originating: {claimed.description} ({claimed.rate:.2%}, {claimed.amount:,.2f}); "
        f"saves {saving:,.2f} against {without.description} ({without.rate:.2%})",
        claimed,
        without,
    )
