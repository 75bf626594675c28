"""The duty consequence of an origin determination, through an explicit interface to the tariff engine.

`DutyCalculator` is the contract: two quotes, the USMCA rate if originating and the stacked duty if not.
`TariffEngineDuty` implements it over `nearshore.tariffs` (the store's HTS schedule and the shipped policy);
another implementation can be put in its place with `register_duty_calculator`. When the engine cannot run
(the store holds no HTS schedule or cannot be opened) or cannot price this good (its code is not a tariff line,
the date or origin is outside the tariff policy, a quantity is needed), the result says so, and why, instead of
giving a figure; any other error is raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from nearshore.errors import NearshoreError, StoreError, TariffError, UnknownCodeError
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
    """The duty a determination leads to, or (`available` False) why there is none: `message` in words, and
    for an engine error its `error_code` and `reason` (the error's own message)."""

    available: bool
    message: str
    claimed: DutyQuote | None = None
    without_preference: DutyQuote | None = None
    reason: str = ""
    error_code: str | None = None

    @classmethod
    def not_computed(cls, message: str, error: NearshoreError | None = None) -> DutyConsequence:
        if error is None:
            return cls(False, message)
        return cls(False, message, reason=str(error), error_code=error.code)

    def text(self) -> str:
        """The message, with the reason when the message does not already give it."""
        return f"{self.message} ({self.reason})" if self.reason and self.reason not in self.message else self.message

    def as_dict(self) -> dict[str, Any]:
        return {
            "available": self.available,
            "message": self.message,
            "claimed": None if self.claimed is None else self.claimed.__dict__,
            "without_preference": None if self.without_preference is None else self.without_preference.__dict__,
            "reason": self.reason or None,
            "error_code": self.error_code,
        }


_REGISTERED: list[DutyCalculator] = []


def register_duty_calculator(calculator: DutyCalculator) -> None:
    """Make `calculator` the one `find_duty_calculator` returns (the tariff engine calls this)."""
    _REGISTERED[:] = [calculator]


def find_duty_calculator(headings: Sequence[str] | None = None) -> DutyCalculator:
    """The registered calculator, else one over the tariff engine (the store's HTS schedule and the shipped
    policy; only the lines of the 4-digit `headings` when the caller prices goods of those alone). Raises
    StoreError (DataNotFound when the store holds no HTS schedule) when the engine cannot run."""
    if _REGISTERED:
        return _REGISTERED[0]
    from nearshore import tariffs
    from nearshore.data.snapshot import open_store

    with open_store() as store:
        schedule = tariffs.load_schedule(store) if headings is None else tariffs.load_schedule(store, headings=headings)
    return TariffEngineDuty(schedule, tariffs.load_policy())


@dataclass(frozen=True)
class NoTariffEngine:
    """The calculator to pass when the caller already knows the engine cannot run (`error`: the store holds no
    HTS schedule, or cannot be opened); the consequence then says so instead of looking for another engine."""

    error: StoreError

    def duty(self, hts: str, origin: str, value: float, date: dt.date, usmca: bool) -> DutyQuote:
        raise self.error


class TariffEngineDuty:
    """`DutyCalculator` over `nearshore.tariffs.calculate` (U.S. imports; values in U.S. dollars)."""

    def __init__(self, schedule: Any, policy: Any) -> None:
        self._schedule, self._policy = schedule, policy

    def duty(self, hts: str, origin: str, value: float, date: dt.date, usmca: bool) -> DutyQuote:
        from nearshore import tariffs

        entry = tariffs.Entry(hts=hts, origin=origin, value=value, on=date, usmca=usmca)
        result = tariffs.calculate(entry, self._schedule, self._policy)
        layers = tuple(f"{c.layer} {c.rate_text}" for c in result.components if c.amount)
        label = "USMCA" if usmca else "without USMCA"
        return DutyQuote(
            float(result.effective_rate),
            float(result.total),
            f"{label}: " + ("; ".join(layers) or "free"),
            layers,
        )


def duty_consequence(
    result: Determination,
    value: float | None,
    origin: str,
    calculator: DutyCalculator | None = None,
    currency: str = "USD",
) -> DutyConsequence:
    """Originating: the USMCA quote and what it saves; not originating: the stacked duty that applies.

    The contract is the U.S. import duty on a good from Canada or Mexico, valued in U.S. dollars.
    """
    if currency != "USD":
        return DutyConsequence.not_computed(
            f"duty consequence not computed: values are in {currency}; the U.S. duty needs U.S. dollars"
        )
    if origin == "US":
        return DutyConsequence.not_computed(
            "duty consequence not computed: the tariff engine prices U.S. imports, "
            "and this good is produced in the U.S."
        )
    if calculator is None:
        try:
            calculator = find_duty_calculator()
        except StoreError as exc:  # no HTS schedule, or no store: the determination stands without a duty
            calculator = NoTariffEngine(exc)
    if isinstance(calculator, NoTariffEngine):
        return DutyConsequence.not_computed(
            "duty consequence not computed: no tariff engine is available", calculator.error
        )
    if value is None:
        return DutyConsequence.not_computed(
            "duty consequence not computed: the BOM gives no transaction value; add good.transaction_value "
            "(the customs value in U.S. dollars) to see the duty"
        )
    try:
        without = calculator.duty(result.hs, origin, value, result.date, False)
        claimed = calculator.duty(result.hs, origin, value, result.date, True) if result.qualifies else None
    except (TariffError, UnknownCodeError) as exc:  # this good cannot be priced as declared (code, date, origin)
        return DutyConsequence.not_computed(f"duty consequence not computed: {exc}", exc)
    if not result.qualifies:
        return DutyConsequence(
            True,
            f"not originating: {without.description} ({without.rate:.2%}, {without.amount:,.2f})",
            without_preference=without,
        )
    assert claimed is not None
    saving = without.amount - claimed.amount
    return DutyConsequence(
        True,
        f"originating: {claimed.description} ({claimed.rate:.2%}, {claimed.amount:,.2f}); "
        f"saves {saving:,.2f} against {without.description} ({without.rate:.2%})",
        claimed,
        without,
    )
