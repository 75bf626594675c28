"""Each market line's tariff from the tariff engine's rate panel (`nearshore.tariffs.panel`) at a date.

HTS10 lines: t = c x (rate with a USMCA claim) + (1 - c) x (rate without), c the line's claimed share of its
imports (0 where a scenario withdraws the preference, and for partners that cannot claim). The panel gives ad
valorem rates: a line whose general rate has a specific (per-unit) part carries only its ad valorem part.

HS2 lines (a chapter x partner): the mean of the chapter's HTS10 rates weighted by the partner's HTS10 imports
where the store has them (with their claims), else the simple mean of the chapter's statistical lines' rates
without a claim (a stated rule: the store has no HTS10 weights for that partner).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nearshore.scenarios.pe.market import Market
from nearshore.tariffs.panel import Panel, build_panel
from nearshore.tariffs.policy import Policy, Products
from nearshore.tariffs.schedule import Schedule
from nearshore.tariffs.vector import line_arrays

Withdrawals = Sequence[tuple[Products, frozenset[str] | None]]


@dataclass(frozen=True)
class Rates:
    """Per market line: the tariff (fraction), NaN where the engine has no rate; notes on how they were set."""

    values: np.ndarray
    notes: tuple[str, ...]
    panel: Panel


def line_rates(
    market: Market,
    schedule: Schedule,
    policy: Policy,
    on: dt.date,
    withdrawals: Withdrawals = (),
    weights: Market | None = None,
    like: Policy | None = None,
) -> Rates:
    """Each line's tariff under `policy` on `on`; `like` is the policy `policy` was derived from (its per-line
    arrays are reused, see `tariffs.vector.line_arrays`)."""
    if like is not None:
        line_arrays(schedule, policy, like=like)
    partners = sorted(set(market.partners) | (set(weights.partners) if weights is not None else set()))
    panel = build_panel(schedule, policy, on, partners)
    if market.level == "hts10":
        values, notes = _hts10(market.codes, market.partners, market.imports, market.claimed, panel, withdrawals)
    else:
        values, notes = _hs2(market, panel, withdrawals, weights)
    return Rates(values, (*panel.notes, *notes), panel)


def _hts10(
    codes: Sequence[str],
    partners: Sequence[str],
    imports: np.ndarray,
    claimed: np.ndarray,
    panel: Panel,
    withdrawals: Withdrawals,
) -> tuple[np.ndarray, list[str]]:
    code_index = {c: k for k, c in enumerate(panel.codes)}
    partner_index = {p: k for k, p in enumerate(panel.partners)}
    cols = np.array([code_index.get(c, -1) for c in codes])
    rows = np.array([partner_index.get(p, -1) for p in partners])
    known = (cols >= 0) & (rows >= 0)
    total = np.full(len(codes), np.nan)
    usmca = np.full(len(codes), np.nan)
    total[known] = panel.rates["total"][rows[known], cols[known]]
    usmca[known] = panel.rates["total_usmca"][rows[known], cols[known]]
    share = np.divide(claimed, imports, out=np.zeros_like(imports), where=imports > 0).clip(0.0, 1.0)
    withdrawn = _withdrawn(codes, partners, withdrawals)
    share = np.where(withdrawn, 0.0, share)
    notes = []
    if withdrawn.any():
        notes.append(f"preference withdrawn on {int(withdrawn.sum()):,} line(s): they pay the rate without a claim")
    return share * usmca + (1.0 - share) * total, notes


def _withdrawn(codes: Sequence[str], partners: Sequence[str], withdrawals: Withdrawals) -> np.ndarray:
    out = np.zeros(len(codes), dtype=bool)
    for products, countries in withdrawals:
        who = countries if countries else frozenset(("CAN", "MEX"))
        out |= np.array([p in who and products.covers(c) for c, p in zip(codes, partners, strict=True)], dtype=bool)
    return out


def _hs2(
    market: Market, panel: Panel, withdrawals: Withdrawals, weights: Market | None
) -> tuple[np.ndarray, list[str]]:
    by_chapter: dict[str, list[int]] = defaultdict(list)
    for k, code in enumerate(panel.codes):
        by_chapter[code[:2]].append(k)
    partner_index = {p: k for k, p in enumerate(panel.partners)}
    weighted: dict[tuple[str, str], tuple[float, float]] = {}
    if weights is not None:
        rates, _ = _hts10(weights.codes, weights.partners, weights.imports, weights.claimed, panel, withdrawals)
        for code, partner, value, rate in zip(weights.codes, weights.partners, weights.imports, rates, strict=True):
            if np.isfinite(rate) and value > 0:
                num, den = weighted.get((code[:2], partner), (0.0, 0.0))
                weighted[(code[:2], partner)] = (num + value * rate, den + value)
    out = np.full(len(market.codes), np.nan)
    simple = 0
    for k, (chapter, partner) in enumerate(zip(market.codes, market.partners, strict=True)):
        found = weighted.get((chapter, partner))
        if found and found[1] > 0:
            out[k] = found[0] / found[1]
        elif chapter in by_chapter and partner in partner_index:
            out[k] = float(panel.rates["total"][partner_index[partner], by_chapter[chapter]].mean())
            simple += 1
    notes = [
        f"chapter rates: {len(market) - simple:,} chapter x partner line(s) weighted by the partner's HTS10 imports "
        f"of {weights.year if weights else '-'} (with their claims); {simple:,} the simple mean of the chapter's "
        "HTS10 rates without a claim (no HTS10 imports of that partner in the store)"
    ]
    return out, notes


__all__ = ["Rates", "line_rates"]
