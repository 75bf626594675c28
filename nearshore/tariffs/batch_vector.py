"""The vector path of the batch: which groups of entry lines it rates, and their rates per basis, one context
(origin, regime, USMCA claim, programme, end use) at a time over the line arrays (vector.py).

A group's base rate may be free, ad valorem, per unit or compound (the per-unit part on the quantity basis), or
refer to another provision (nothing, as duty._base_term rates it). A floor over a per-unit base ("15% inclusive
of the general rate") depends on each row's quantity over its value: such a group is rated as the one-entry path
rates it (batch._scalar_group, _floors): the first row's rates shown, the floor part per row in batch._totals.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from nearshore.errors import Problem
from nearshore.tariffs.duty import BasisKind, Entry, de_minimis_applies, unit_key
from nearshore.tariffs.entries import Entries, Floats
from nearshore.tariffs.policy import Policy
from nearshore.tariffs.vector import KINDS as VKINDS
from nearshore.tariffs.vector import Layer, LineArrays, base_rates, layers, specific_rates

KINDS: tuple[BasisKind, ...] = ("value", "metal", "value-metal", "non-us", "us", "quantity")
# the row of KINDS (len(KINDS): none) of each vector.KINDS code
_ROW_OF_KIND = np.array([KINDS.index(k) if k in KINDS else len(KINDS) for k in VKINDS], dtype=np.int64)


@dataclass
class Plan:
    """How each group gets its rates: the vector path per context, or the one-entry engine."""

    coef: Floats  # (kinds x groups)
    de_minimis: npt.NDArray[np.bool_]  # per group
    layers: dict[int, str]  # by group, the layers text of the groups the one-entry engine rates
    problems: list[Problem]
    contexts: list[Any]
    floor: Floats | None = None  # (kinds x groups): a floor layer's rate before the specific base (see _floors)
    specific: Floats | None = None  # per group: the specific base rate per unit of quantity
    base_texts: dict[str, int] = field(default_factory=dict)  # per-unit base texts of the vector path, numbered
    text_ids: dict[int, tuple[Any, Floats]] = field(default_factory=dict)  # base_text_ids, by rate column

    def base_text_ids(self, spec: Any) -> Floats:
        """Each line's number in `base_texts` of its per-unit base text (-1: the line has none), numbered once
        per rate column."""
        found = self.text_ids.get(id(spec))
        if found is None:
            ids = np.full(len(spec.text), -1.0)
            for i in np.flatnonzero(spec.handled).tolist():
                ids[i] = self.base_texts.setdefault(spec.text[i], len(self.base_texts))
            found = self.text_ids[id(spec)] = (spec, ids)  # the spec is kept: its id stays its own
        return found[1]

    def floors(self) -> tuple[Floats, Floats]:
        if self.floor is None or self.specific is None:
            self.floor, self.specific = np.zeros(self.coef.shape), np.zeros(self.coef.shape[1])
        return self.floor, self.specific


@dataclass(frozen=True)
class Groups:
    """Rows grouped twice: by context (origin, regime, USMCA claim, programme, end use) and by group (HTS line,
    context, unit and which optional amounts are given); every row of a group pays the same rates."""

    context: npt.NDArray[np.int64]  # context index of each row
    context_first: npt.NDArray[np.int64]  # first row of each context
    group: npt.NDArray[np.int64]  # group index of each row
    firsts: npt.NDArray[np.int64]  # first row of each group
    hts_code: npt.NDArray[np.int64]  # index into hts_values of each row
    hts_values: list[Any]
    program_code: npt.NDArray[np.int64]
    program_values: list[Any]
    unit_code: npt.NDArray[np.int64]
    unit_values: list[Any]


def vector_groups(
    entries: Entries,
    g: Groups,
    contexts: list[tuple[str, str | None]],
    line_of_group: npt.NDArray[np.int64],
    arrays: LineArrays,
    policy: Policy,
) -> npt.NDArray[np.bool_]:
    """Per group, whether the vector path rates it: a statistical line whose base rate is free, ad valorem or
    per unit (then with the quantity given, in the rate's unit or none said; none said when its terms are in two
    units), in a context the engine can rate, with no programme named and no zero metal content. The others
    go to the one-entry engine, which reports what it cannot rate at the row."""
    first_rows = g.firsts
    group_context = g.context[first_rows]
    # a programme named (USMCA's S/S+ included: the engine checks the origin and takes it as the claim) goes to
    # the one-entry engine; the vector path rates USMCA from the usmca column only
    program_ok = np.array([not p for p in g.program_values], dtype=bool)
    zero_metal = entries.metal_value[first_rows] == 0  # no metal content (9903.82.01): the one-entry engine
    simple: npt.NDArray[np.bool_] = (line_of_group >= 0) & program_ok[g.program_code[first_rows]] & ~zero_metal
    quantity = ~np.isnan(entries.quantity[first_rows])
    unit_free = np.array([not u for u in g.unit_values], dtype=bool)  # no unit said: duty._base_term checks none
    unit_keys = np.array([unit_key(u) if u else "" for u in g.unit_values], dtype=np.str_)
    unit = g.unit_code[first_rows]
    by_context = stable_order(group_context, len(contexts))
    bounds = np.searchsorted(group_context[by_context], np.arange(len(contexts) + 1))
    for c, (iso3, problem) in enumerate(contexts):
        members = by_context[bounds[c] : bounds[c + 1]]
        if problem:
            simple[members] = False
            continue
        usmca = bool(entries.usmca[int(g.context_first[c])])
        _, handled = base_rates(arrays, policy, iso3, usmca)
        per_unit = specific_rates(arrays, policy, iso3, usmca)
        lines, units = np.maximum(line_of_group[members], 0), unit[members]
        given = quantity[members] & unit_free[units]
        said = np.flatnonzero(per_unit.quantity[lines] & quantity[members] & ~unit_free[units])  # the unit checked
        if len(said):
            same = unit_keys[units[said]] == per_unit.unit[lines[said]]
            given[said] = same & ~per_unit.several[lines[said]]
        given |= ~per_unit.quantity[lines]
        simple[members] &= handled[lines] | (per_unit.handled[lines] & given)
    return simple


def stable_order(codes: npt.NDArray[np.int64], distinct: int) -> npt.NDArray[np.int64]:
    """The positions sorted by code, ties in position order (numpy sorts 16-bit integers by radix, in linear time)."""
    small = codes.astype(np.int16) if distinct < 2**15 else codes
    return np.argsort(small, kind="stable").astype(np.int64)


def vector_context(
    plan: Plan,
    gs: npt.NDArray[np.int64],
    rep: Entry,
    iso3: str,
    idx: npt.NDArray[np.int64],
    arrays: LineArrays,
    policy: Policy,
    aveq: Floats,
) -> None:
    """Rates of the groups `gs` of one context, on their statistical lines `idx`, from the vector path. `aveq`:
    per group, its first row's quantity over its value (at least the de minimis threshold), the representative
    `_scalar_group` rates a floor over a per-unit base with."""
    base_all, _ = base_rates(arrays, policy, iso3, rep.usmca)
    spec = specific_rates(arrays, policy, iso3, rep.usmca)
    base, per_unit = base_all[idx], spec.handled[idx]
    found = layers(policy, arrays, iso3, rep.on, base, rep.usmca, idx=idx, auto_part=rep.auto_part)
    floored, moves = _floored(found, spec.rate[idx] != 0, base, idx, rep, iso3, arrays, policy)
    shown = _floor_layers(
        plan, gs, (found, floored, moves), base + spec.rate[idx] * aveq, idx, spec.rate, (rep, iso3), arrays, policy
    )
    coef = np.zeros((len(KINDS) + 1, len(gs)))  # the last row takes the layers on no basis
    coef[KINDS.index("value")] = base
    coef[KINDS.index("quantity")] = np.where(per_unit, spec.rate[idx], 0.0)
    columns = np.arange(len(gs))
    for layer in found:
        if not layer.rate.any():
            continue
        rows = _ROW_OF_KIND[layer.kind]
        if (rows == rows[0]).all():  # one basis for every line (the usual case): a row, not a scatter
            coef[rows[0]] += layer.rate
        else:
            coef[rows, columns] += layer.rate
    span = _span(gs)
    plan.coef[:, span] += coef[: len(KINDS)]
    plan.de_minimis[span] = de_minimis_applies(policy, iso3, replace(rep, value=0.0))
    text = np.full(len(gs), -1.0)
    if per_unit.any():
        text[per_unit] = plan.base_text_ids(spec)[idx[per_unit]]
    summary = [(layer.measure, layer.rate, layer.kind) for layer in shown if layer.rate.any()]
    plan.contexts.append((gs, base, text, summary))


def _span(gs: npt.NDArray[np.int64]) -> slice | npt.NDArray[np.int64]:
    """The groups as a slice where they are one run of numbers (a context's groups usually are), else as given."""
    if len(gs) and int(gs[-1]) - int(gs[0]) + 1 == len(gs) and bool((np.diff(gs) == 1).all()):
        return slice(int(gs[0]), int(gs[-1]) + 1)
    return gs


def _floor_layers(
    plan: Plan,
    gs: npt.NDArray[np.int64],
    floors: tuple[list[Layer], npt.NDArray[np.bool_], list[npt.NDArray[np.bool_]]],
    rep_base: Floats,
    idx: npt.NDArray[np.int64],
    per_unit: Floats,
    where: tuple[Entry, str],
    arrays: LineArrays,
    policy: Policy,
) -> list[Layer]:
    """A floor over a per-unit base, as `_scalar_group` and `_floors` rate it. `floors`: the layers, the lines
    `_floored` found and, per layer, where its rate moves. On those lines the layers at the representative's
    base (`rep_base`, with its per-unit part) are shown; a layer whose rate moves when the base grows (found by
    raising the base, not from the representative's quantity, so a first row with no quantity still has its
    group's floor rated per row) goes to plan.floor at its rate over the ad valorem base (taken out of `found`,
    which then holds the coefficients), the others keep the representative's rate. Returns the layers to show."""
    found, floored, moves = floors
    if not floored.any():
        return found
    rep, iso3 = where
    sub = np.flatnonzero(floored)
    at_rep = layers(policy, arrays, iso3, rep.on, rep_base[sub], rep.usmca, idx=idx[sub], auto_part=rep.auto_part)
    floor, specific = plan.floors()
    moved_any = np.zeros(len(sub), dtype=bool)
    shown = []
    for x, y, move in zip(found, at_rep, moves, strict=True):
        moved = move[sub]
        moved_any |= moved
        rows = sub[moved]
        for k, kind in enumerate(VKINDS):
            if kind in KINDS:
                floor[KINDS.index(kind), gs[rows]] += np.where(x.kind[rows] == k, x.rate[rows], 0.0)
        rate, kind_code = x.rate.copy(), x.kind.copy()
        rate[sub], kind_code[sub] = y.rate, y.kind
        shown.append(Layer(x.measure, x.authority, rate, kind_code))
        x.rate, x.kind = rate.copy(), kind_code
        x.rate[rows] = 0.0
    specific[gs[sub[moved_any]]] = per_unit[idx[sub[moved_any]]]
    return shown


def _floored(
    found: list[Layer],
    per_unit: npt.NDArray[np.bool_],
    base: Floats,
    idx: npt.NDArray[np.int64],
    rep: Entry,
    iso3: str,
    arrays: LineArrays,
    policy: Policy,
) -> tuple[npt.NDArray[np.bool_], list[npt.NDArray[np.bool_]]]:
    """Which per-unit lines have a layer that moves when the base grows (its rate or its basis), and per layer
    the lines where its rate moves: a floor less the base, whose rate then depends on each row's quantity over
    its value (see _floor_layers). No lines and no layers where no floor can apply."""
    floored = np.zeros(len(base), dtype=bool)
    sub = np.flatnonzero(per_unit)
    if not len(sub) or not _floor_possible(policy, iso3, rep.on):
        return floored, []
    more = layers(policy, arrays, iso3, rep.on, base[sub] + 1.0, rep.usmca, idx=idx[sub], auto_part=rep.auto_part)
    moves = []
    for a, b in zip(found, more, strict=True):
        move = np.zeros(len(base), dtype=bool)
        move[sub] = a.rate[sub] != b.rate
        floored[sub] |= move[sub] | (a.kind[sub] != b.kind)
        moves.append(move)
    return floored, moves


def _floor_possible(policy: Policy, iso3: str, on: date) -> bool:
    """Whether a measure that may apply to goods of `iso3` on `on` has a floor there (its rate, or an active
    exemption's): the only way a layer's rate depends on the base rate (vector._measure_layer)."""
    for measure in policy.measures:
        if not measure.covers_country(iso3):
            continue
        period = measure.period(iso3, on)
        if period is not None and (period.floor or any(ex.floor and ex.active(on) for ex in measure.exemptions)):
            return True
    return False


__all__ = ["KINDS", "Groups", "Plan", "stable_order", "vector_context", "vector_groups"]
