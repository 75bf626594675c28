"""Duty on many entry lines at once, vectorised with numpy.

Dates are first reduced to policy regimes (the intervals between the days on which anything in the policy
changes). Within one (HTS line, origin, regime, USMCA claim, programme, unit) group, every duty layer is `rate x basis`
with the basis one of a few quantities of the entry (duty.py): the customs value, metal value, ..., or the quantity
for a per-unit (specific) base rate. The groups of one context are rated together over the line arrays (vector.py);
the others (claims, a programme named, no metal, a floor over a per-unit base, anything the engine reports as an
error) by the engine on a representative entry. The rates are then applied to all rows of the group as arrays. De
minimis is the one threshold and is applied as a row mask. `duty_loop` is the same calculation one row at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from nearshore.arrow import dictionary_codes, to_numpy
from nearshore.errors import (
    NearshoreError,
    PolicyCoverageError,
    Problem,
    TariffError,
    UnknownCodeError,
)
from nearshore.tariffs.batch_keys import combine
from nearshore.tariffs.batch_result import BatchResult, layer_text
from nearshore.tariffs.batch_vector import KINDS, Groups, Plan, stable_order, vector_context, vector_groups
from nearshore.tariffs.duty import (
    Entry,
    amount_text,
    calculate,
    de_minimis_applies,
    import_origin,
    percent,
    resolve_origin,
)
from nearshore.tariffs.entries import (
    OPTIONAL,
    REQUIRED,
    Entries,
    Floats,
    entries_from_columns,
    invalid_entries,
)
from nearshore.tariffs.entries_table import read_entries
from nearshore.tariffs.policy import Policy
from nearshore.tariffs.schedule import Schedule
from nearshore.tariffs.vector import (
    LineArrays,
    line_arrays,
)

_EPOCH = date(1970, 1, 1)


def regime_boundaries(policy: Policy) -> npt.NDArray[np.int64]:
    """Days (since 1970-01-01) on which some rate, exemption, rule or threshold of the policy changes.

    Two dates between the same boundaries give the same duty for the same line and origin.
    """
    days = policy.change_days() | {policy.end + timedelta(days=1)}
    days.update(start for _, start, _ in policy.de_minimis_suspended)
    return np.array(sorted((d - _EPOCH).days for d in days), dtype=np.int64)


def _codes(entries: Entries, name: str) -> tuple[npt.NDArray[np.int64], list[Any]]:
    """Each row's index into a text column's distinct values (a missing cell: the last one, None); the reader's
    codes where it has them (its columns have no missing cells)."""
    if name in entries.codes:
        codes, values = entries.codes[name]
        return codes, [*values, None]
    return dictionary_codes(getattr(entries, name), missing_last=True)


def _context_problem(entry: Entry, policy: Policy) -> tuple[str, str | None]:
    """(ISO3 origin, error message or None) for a context's representative entry."""
    try:
        policy.check_date(entry.on)
        partner = import_origin(entry.origin, policy)
        if entry.usmca and partner.id not in policy.groups.get("USMCA", frozenset()):
            return partner.id, (f"USMCA treatment (--usmca) is only for goods of Canada or Mexico, not {partner.name}")
        return partner.id, None
    except (PolicyCoverageError, UnknownCodeError) as exc:  # the date, or the origin, cannot be rated
        return "", str(exc)


def _group(entries: Entries, policy: Policy) -> Groups:

    hts_code, hts_values = _codes(entries, "hts")
    origin_code, _ = _codes(entries, "origin")
    unit_code, unit_values = _codes(entries, "unit")
    program_code, program_values = _codes(entries, "program")
    regime = _regimes(entries, regime_boundaries(policy))
    usmca = entries.usmca.astype(np.int64)
    zero_metal = entries.metal_value == 0  # no metal content (heading 9903.82.01): the one-entry engine
    flags = (
        np.isnan(entries.quantity).astype(np.int64)
        | np.isnan(entries.metal_value) << 1
        | np.isnan(entries.us_content) << 2
        | zero_metal.astype(np.int64) << 3
    )
    auto_part = (
        np.zeros(len(entries), dtype=np.int64) if entries.auto_part is None else entries.auto_part.astype(np.int64) + 1
    )
    context, context_first = combine([origin_code, regime, usmca, program_code, auto_part])
    group, firsts = combine([context, hts_code, unit_code, flags])  # the groups of a context are numbered together
    codes = (hts_code, hts_values, program_code, program_values, unit_code, unit_values)
    return Groups(context, context_first, group, firsts, *codes)


def _regimes(entries: Entries, boundaries: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Each row's policy regime: the number of boundaries on or before its date (once per distinct date where
    the reader has the dates' codes)."""
    import pyarrow as pa

    if "on" in entries.codes:
        codes, iso = entries.codes["on"]
        days = np.array([(date.fromisoformat(d) - _EPOCH).days for d in iso], dtype=np.int64)
        return np.searchsorted(boundaries, days, side="right").astype(np.int64)[codes]
    day = to_numpy(entries.on.cast(pa.int32())).astype(np.int64)  # a missing date: 0
    return np.searchsorted(boundaries, day, side="right").astype(np.int64)


def duty_vectorised(
    entries: Entries,
    schedule: Schedule,
    policy: Policy,
    *,
    file: str = "entries",
    progress: Callable[[int, int], None] | None = None,
) -> BatchResult:
    """Total duty per row. Rows whose line or context cannot be rated are all reported (ValidationFailed)."""
    g = _group(entries, policy)
    arrays = line_arrays(schedule, policy)
    firsts = g.firsts
    plan = Plan(np.zeros((len(KINDS), len(firsts))), np.zeros(len(firsts), dtype=bool), {}, [], [])
    first_rows = firsts
    group_context = g.context[first_rows]
    contexts = [_context_problem(entries.entry(row), policy) for row in g.context_first.tolist()]
    # the statistical-line index of each distinct HTS text (-1: not a statistical line, or unknown)
    hts_index = np.array([_line_index(schedule, arrays, text or "") for text in g.hts_values], dtype=np.int64)
    line_of_group = hts_index[g.hts_code[first_rows]]
    simple = vector_groups(entries, g, contexts, line_of_group, arrays, policy)
    aveq = np.nan_to_num(entries.quantity[first_rows]) / np.maximum(
        entries.value[first_rows], policy.de_minimis_threshold + 1.0
    )
    order = np.flatnonzero(simple)
    by_context = order[stable_order(group_context[order], len(contexts))]
    bounds = np.searchsorted(group_context[by_context], np.arange(len(contexts) + 1))
    for c, (iso3, _) in enumerate(contexts):
        gs = by_context[bounds[c] : bounds[c + 1]]
        if len(gs):
            rep = entries.entry(int(g.context_first[c]))
            vector_context(plan, gs, rep, iso3, line_of_group[gs], arrays, policy, aveq[gs])
        if progress is not None:
            progress(c + 1, len(contexts) + 1)
    for k in np.flatnonzero(~simple):
        _scalar_group(plan, int(k), int(firsts[k]), entries, schedule, policy, file, g.group)
    if progress is not None:
        progress(len(contexts) + 1, len(contexts) + 1)
    if plan.problems:
        raise invalid_entries(sorted(plan.problems, key=lambda p: p.row or 0))
    return BatchResult(
        _totals(entries, plan, g, _shares(hts_index, g.hts_values, arrays, schedule, policy), policy),
        g.group,
        len(firsts),
        schedule.revision,
        policy.version,
        plan.layers,
        plan.contexts,
        list(plan.base_texts),
    )


def _shares(
    hts_index: npt.NDArray[np.int64], texts: list[Any], arrays: LineArrays, schedule: Schedule, policy: Policy
) -> Floats:
    """The estimated metal share of each distinct HTS text: the line arrays' for statistical lines."""
    out = arrays.metal_share[np.maximum(hts_index, 0)].copy()
    for i in np.flatnonzero(hts_index < 0):
        out[i] = _metal_share(schedule, policy, texts[i] or "")
    return out


def _totals(entries: Entries, plan: Plan, g: Groups, shares: Floats, policy: Policy) -> Floats:
    """Each row's duty: its group's rate per basis times the row's amount of that basis, less de minimis."""
    value, group = entries.value, g.group
    bases = _Bases(entries, g, shares)
    duty = np.zeros(len(entries))
    for k, kind in enumerate(KINDS):
        if plan.coef[k].any():  # amounts are finite (entries.check_amounts): a zero rate adds nothing
            duty += plan.coef[k][group] * bases[kind]
    if plan.floor is not None and plan.specific is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            specific = np.where(value != 0, plan.specific[group] * bases["quantity"] / value, 0.0)
        for k, kind in enumerate(KINDS):
            if plan.floor[k].any():
                duty += np.maximum(plan.floor[k][group] - specific, 0.0) * bases[kind]
    duty[plan.de_minimis[group] & (value <= policy.de_minimis_threshold)] = 0.0
    return np.round(duty, 2)


class _Bases:
    """Each row's amount of a basis, made when first asked for (most batches use two or three of them)."""

    def __init__(self, entries: Entries, g: Groups, shares: Floats) -> None:
        self.entries, self.g, self.shares = entries, g, shares
        self.made: dict[str, Floats] = {"value": entries.value}

    def __getitem__(self, kind: str) -> Floats:
        if kind not in self.made:
            self.made[kind] = self._make(kind)
        return self.made[kind]

    def _make(self, kind: str) -> Floats:
        e, value = self.entries, self.entries.value
        if kind == "metal":
            # no metal value: the share the engine estimates for the line (policy.metal_estimate)
            shares = self.shares[self.g.hts_code]
            return np.where(np.isnan(e.metal_value), value * shares, np.minimum(e.metal_value, value))
        if kind == "us":
            return np.where(np.isnan(e.us_content), 0.0, np.minimum(e.us_content, value))
        if kind == "value-metal":
            return value - self["metal"]
        if kind == "non-us":
            return value - self["us"]
        return np.nan_to_num(e.quantity)  # quantity


def _metal_share(schedule: Schedule, policy: Policy, text: str) -> float:
    estimate = policy.metal_estimate(_line_code(schedule, text) or "none")
    return estimate[0] if estimate else 1.0


def _line_index(schedule: Schedule, arrays: LineArrays, text: str) -> int:
    """The statistical-line index of an HTS text (-1: not a statistical line, or unknown)."""
    digits = text.replace(".", "")
    if len(digits) == 10 and digits in arrays.index:  # as Schedule.line reads a dotted 10-digit code
        return arrays.index[digits]
    return arrays.index.get(_line_code(schedule, text), -1)


def _line_code(schedule: Schedule, text: str) -> str:
    try:
        return schedule.line(text).code
    except UnknownCodeError:  # not a tariff line: the one-entry engine reports it, located
        return ""


def _column_of(exc: NearshoreError) -> str:
    """The input column an engine error is about: its `field` (duty.calculate names the entry's field)."""
    return exc.field if exc.field in (*REQUIRED, *OPTIONAL) else "hts"


def _cell(entry: Entry, column: str) -> str:
    quantity = "" if entry.quantity is None else amount_text(entry.quantity)
    value = {"date": entry.on.isoformat(), "usmca": "1" if entry.usmca else "0", "quantity": quantity}
    return str(value.get(column, getattr(entry, column, entry.hts)))


def _scalar_group(
    plan: Plan,
    g: int,
    row: int,
    entries: Entries,
    schedule: Schedule,
    policy: Policy,
    file: str,
    group: npt.NDArray[np.int64],
) -> None:
    """Rates for one group from the one-entry engine (a programme named, zero metal, errors)."""
    entry = entries.entry(row)
    representative = replace(entry, value=max(entry.value, policy.de_minimis_threshold + 1.0))
    try:
        result = calculate(representative, schedule, policy)
        plan.de_minimis[g] = de_minimis_applies(policy, result.origin.id, replace(entry, value=0.0))
    except (TariffError, UnknownCodeError) as exc:  # this entry cannot be rated as given: report its cell
        same = int(np.count_nonzero(group == g)) - 1
        more = f" (and {same} more row(s) with the same line, origin and dates)" if same else ""
        column = _column_of(exc)
        plan.problems.append(Problem(file, row + 2, column, _cell(entry, column), str(exc) + more))
        return
    floored = _floors(plan, g, result, representative, schedule, policy)
    for component in result.components:
        if component.basis in KINDS and component.layer not in floored:
            plan.coef[KINDS.index(component.basis), g] += component.rate
    parts = [
        layer_text(
            "base" if c.authority == "HTS" else c.layer,
            c.rate_text if c.basis == "quantity" else percent(c.rate),
            c.basis,
        )
        for c in result.components
        if c.authority == "HTS" or (c.rate and c.basis != "none")
    ]
    plan.layers[g] = "; ".join(parts) or "free"


def _floors(plan: Plan, g: int, result: Any, rep: Entry, schedule: Schedule, policy: Policy) -> set[str]:
    """Layers of group `g` whose rate depends on the row: a floor ('15% inclusive of the general rate') less a
    base with a specific part, whose ad valorem equivalent is the row's quantity over its value. Their rate with
    no quantity (the floor less the ad valorem part of the base) goes to plan.floor, the specific rate to
    plan.specific; _totals takes max(floor - specific x quantity / value, 0) per row, as duty.calculate does."""
    specific = sum(c.rate for c in result.components if c.authority == "HTS" and c.basis == "quantity")
    if not specific or not _floor_in_play(result, policy):
        return set()
    try:
        bare = calculate(replace(rep, quantity=0.0), schedule, policy)
        # the layers that move with the quantity, found with one unit where the first row has none
        probe = result if rep.quantity else calculate(replace(rep, quantity=1.0), schedule, policy)
    except (TariffError, UnknownCodeError):
        return set()
    rates = {c.layer: c for c in bare.components if c.authority != "HTS"}
    found = {
        c.layer
        for c in probe.components
        if c.authority != "HTS" and c.basis in KINDS and c.layer in rates and rates[c.layer].rate != c.rate
    }
    floor, per_unit = plan.floors()
    for layer in found:
        floor[KINDS.index(rates[layer].basis), g] += rates[layer].rate
    per_unit[g] = specific if found else 0.0
    return found


def _floor_in_play(result: Any, policy: Policy) -> bool:
    """Whether a layer of the result comes from a measure whose rate (or an exemption's) is a floor then."""
    measures = {m.id: m for m in policy.measures}
    for c in result.components:
        measure = measures.get(c.layer)
        if measure is None:
            continue
        period = measure.period(result.origin.id, result.entry.on)
        if (period is not None and period.floor) or any(ex.floor for ex in measure.exemptions):
            return True
    return False


def duty_loop(entries: Entries, schedule: Schedule, policy: Policy) -> Floats:
    """The same totals, one `calculate` call per row (the baseline the vectorised path is measured against)."""
    return np.array([calculate(entries.entry(i), schedule, policy).total for i in range(len(entries))])


__all__ = [
    "BatchResult",
    "Entries",
    "duty_loop",
    "duty_vectorised",
    "entries_from_columns",
    "read_entries",
    "resolve_origin",
]
