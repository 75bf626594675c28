"""Landed cost per origin: duties, merchandise processing fee, harbor maintenance fee, freight and insurance.

U.S. duties are assessed on the customs (transaction) value, which excludes international freight and insurance
(19 U.S.C. 1401a(b)(4)(A)); they are added to the landed cost, not to the dutiable value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from nearshore.tariffs.duty import DutyResult, Entry, calculate, de_minimis_applies
from nearshore.tariffs.policy import Policy
from nearshore.tariffs.schedule import Schedule

Mode = Literal["ocean", "air", "truck", "rail"]
MODES: tuple[Mode, ...] = ("ocean", "air", "truck", "rail")


@dataclass(frozen=True)
class Fees:
    mpf: float
    hmf: float
    mpf_note: str
    hmf_note: str


@dataclass(frozen=True)
class LandedCost:
    origin: str
    duty: DutyResult
    fees: Fees
    freight: float
    insurance: float

    @property
    def total(self) -> float:
        return round(
            self.duty.entry.value + self.duty.total + self.fees.mpf + self.fees.hmf + self.freight + self.insurance, 2
        )


def fees(policy: Policy, entry: Entry, origin: str, mode: Mode) -> Fees:
    """MPF (ad valorem with the fiscal year's minimum and maximum) and HMF (ocean only) on the customs value.

    No MPF on USMCA originating goods, nor on articles admitted free under de minimis (19 U.S.C. 1321), which
    are released without a formal entry.
    """
    period = policy.mpf_period(entry.on)
    if entry.usmca and origin in policy.groups.get("USMCA", frozenset()):
        mpf, mpf_note = 0.0, f"USMCA originating: exempt ({policy.mpf_usmca_citation})"
    elif de_minimis_applies(policy, origin, entry):
        mpf, mpf_note = (
            0.0,
            (
                f"de minimis (value at or under ${policy.de_minimis_threshold:,.0f}): no formal "
                f"entry, no MPF ({policy.de_minimis_citation}; 19 CFR 24.23(c))"
            ),
        )
    else:
        raw = entry.value * policy.mpf_rate
        mpf = min(max(raw, period.minimum), period.maximum)
        mpf_note = (
            f"{policy.mpf_rate:.4%} of value, min ${period.minimum:,.2f}, max ${period.maximum:,.2f} "
            f"({period.citation})"
        )
    hmf = round(entry.value * policy.hmf_rate, 2) if mode == "ocean" else 0.0
    hmf_note = f"{policy.hmf_rate:.3%} of value, ocean only ({policy.hmf_citation})"
    return Fees(round(mpf, 2), hmf, mpf_note, hmf_note)


def compare_origins(
    schedule: Schedule,
    policy: Policy,
    *,
    hts: str,
    value: float,
    on: date,
    origins: list[str],
    freight: dict[str, float] | float = 0.0,
    insurance: dict[str, float] | float = 0.0,
    usmca: bool = False,
    mode: Mode = "ocean",
    quantity: float | None = None,
    unit: str | None = None,
    metal_value: float | None = None,
) -> list[LandedCost]:
    """Landed cost of the same good from each origin; `usmca` applies to the Canadian and Mexican origins only."""
    if mode not in MODES:
        from nearshore.errors import InputError

        raise InputError(f"transport mode {mode!r} is not one of {', '.join(MODES)}")
    out = []
    for origin in origins:
        from nearshore.tariffs.duty import resolve_origin

        partner = resolve_origin(origin, policy)
        qualifies = usmca and partner.id in policy.groups.get("USMCA", frozenset())
        entry = Entry(
            hts=hts,
            origin=origin,
            value=value,
            on=on,
            quantity=quantity,
            unit=unit,
            usmca=qualifies,
            metal_value=metal_value,
        )
        result = calculate(entry, schedule, policy) if partner.id != "USA" else _domestic(entry, schedule, policy)
        cost_freight = freight.get(origin, 0.0) if isinstance(freight, dict) else freight
        cost_insurance = insurance.get(origin, 0.0) if isinstance(insurance, dict) else insurance
        entry_fees = fees(policy, entry, partner.id, mode) if partner.id != "USA" else Fees(0, 0, "domestic", "")
        out.append(LandedCost(partner.id, result, entry_fees, cost_freight, cost_insurance))
    return out


def _domestic(entry: Entry, schedule: Schedule, policy: Policy) -> DutyResult:
    """A U.S.-made good: no duty, no fees (the baseline of a nearshoring comparison)."""
    from nearshore.tariffs.duty import resolve_origin

    return DutyResult(
        entry,
        resolve_origin("USA", policy),
        schedule.line(entry.hts),
        (),
        0.0,
        schedule.revision,
        policy.version,
        ("made in the United States: no customs duty or fees",),
    )


__all__ = ["MODES", "Fees", "LandedCost", "Mode", "compare_origins", "fees"]
