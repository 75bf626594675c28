"""The policy's layers over many HTS lines at once, for one context (origin, date, USMCA claim).

The same rules as duty.py, written over numpy arrays: a measure's rate is its dated rate where its product
mask holds; the first matching exemption replaces it; a floor subtracts the base ad valorem rate; then the
stacking rules, in order, zero the rates excluded in full and move those excluded "on the remainder" to the
remainder basis (value less metal, or U.S. content). Each layer carries a basis kind per line, coded as in
KIND_CODES. Used by the panel and by the vectorised batch; tests check both against duty.calculate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from nearshore.tariffs.duty import BASIS_LABELS, BasisKind, percent, unit_key
from nearshore.tariffs.policy import Measure, Policy, Products, StackRule
from nearshore.tariffs.schedule import Line, Schedule

KINDS: tuple[BasisKind, ...] = ("value", "metal", "value-metal", "non-us", "us", "quantity", "none")
KIND_CODES: dict[str, int] = {kind: i for i, kind in enumerate(KINDS)}
VALUE, METAL, NON_US, NONE = (KIND_CODES[k] for k in ("value", "metal", "non-us", "none"))
# the basis left to a measure excluded "on the remainder" of a displacing measure's basis (duty._REMAINDER)
REMAINDER = {VALUE: NONE, METAL: KIND_CODES["value-metal"], NON_US: KIND_CODES["us"]}
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


@dataclass
class Layer:
    measure: str
    authority: str
    rate: Floats
    kind: npt.NDArray[np.int8]


@dataclass(frozen=True)
class LineArrays:
    """Per-line arrays of one schedule under one policy: base ad valorem rates, simplicity, product masks."""

    lines: list[Line]
    index: dict[str, int]
    general: Floats
    column2: Floats
    usmca: Floats
    general_simple: Bools
    column2_simple: Bools
    usmca_simple: Bools
    masks: dict[str, Bools | None]
    metal_share: Floats  # estimated metal share of value where no metal value is given (1 = the whole value)
    specific: dict[str, SpecificArrays] = field(default_factory=dict, compare=False)  # by rate column (cache)


@dataclass(frozen=True)
class SpecificArrays:
    """Per line, the base rates of one column (general, USMCA, column 2) with a per-unit (specific) term or a
    reference to another provision, as duty._base_term rates them: dollars per unit of quantity in `unit`, a
    reference as nothing. `handled`: the rate has no other kind of term; `quantity`: it has a specific term (the
    entry must give a quantity); `several`: its specific terms are in more than one unit (duty._base_term applies
    the one quantity to each term, so only a quantity with no unit said is rated; `rate` is their sum). `text` is
    the base's layers text on handled lines ("base $0.025/kg; base 3%", one part per term as the one-entry engine
    lists them)."""

    rate: Floats
    unit: npt.NDArray[np.str_]  # normalised (duty.unit_key); "" where the rate has no specific term
    handled: Bools
    quantity: Bools
    text: list[str]
    several: Bools


def _simple(rate: Any) -> bool:
    """A rate the vector path handles: free or whole-value ad valorem terms only."""
    return rate is not None and rate.kind in ("free", "ad_valorem")


def _av(rate: Any) -> float:
    # duty.py applies every ad valorem term (qualified ones too) to the whole value
    return float(sum(t.value for t in rate.terms if t.kind == "ad_valorem")) if rate is not None else 0.0


def usmca_rate(line: Line) -> Any:
    from nearshore.tariffs.special import program_rate

    for code in ("S", "S+"):
        rate = program_rate(line.special, code)
        if rate is not None:
            return rate
    return line.general


def arrays_key(policy: Policy) -> str:
    """The key of `policy`'s line arrays in `Schedule.cache`: one entry per policy file (path) and version."""
    return f"vector:{policy.path}:{policy.version}"


class _Codes:
    """Line codes as integers cut to each prefix length, so that a product scope's mask over every line is one
    `np.isin` per prefix length: the answer of `Products.covers` on each code, at numpy speed."""

    def __init__(self, codes: list[str]) -> None:
        self.codes = codes
        self.digits = all(c.isdigit() for c in codes)
        self.lengths = np.fromiter(map(len, codes), np.int64, len(codes))
        self.values = np.array([int(c) if self.digits else 0 for c in codes], dtype=np.int64)
        self._cut: dict[int, npt.NDArray[np.int64]] = {}

    def _at(self, size: int) -> npt.NDArray[np.int64]:
        if size not in self._cut:
            shift = np.power(10, np.maximum(self.lengths - size, 0))
            self._cut[size] = np.where(self.lengths >= size, self.values // shift, -1)
        return self._cut[size]

    def mask(self, products: Products) -> Bools:
        if products.prefixes is None:
            return np.ones(len(self.codes), dtype=bool)
        if not (self.digits and all(p.isdigit() for p in products.prefixes)):
            return np.fromiter((products.covers(c) for c in self.codes), bool, len(self.codes))
        hit = np.zeros(len(self.codes), dtype=bool)
        for size in products.sizes:
            wanted = np.array([int(p) for p in products.prefixes if len(p) == size], dtype=np.int64)
            hit |= np.isin(self._at(size), wanted)
        return ~hit if products.negate else hit


def _masks(measures: Iterable[Measure], codes: _Codes) -> dict[str, Bools | None]:
    """Each measure's product mask, its exemptions' (None: every product of the measure) and its end-use default."""
    masks: dict[str, Bools | None] = {}
    for measure in measures:
        masks[measure.id] = codes.mask(measure.products)
        for ex in measure.exemptions:
            masks[f"{measure.id}/{ex.id}"] = None if ex.products is None else codes.mask(ex.products)
        if measure.end_use_default is not None:
            masks[f"{measure.id}/end-use"] = codes.mask(measure.end_use_default)
    return masks


def _scope(measure: Measure) -> tuple[object, ...]:
    """What a measure's masks depend on."""
    return (measure.products, measure.end_use_default, tuple((e.id, e.products) for e in measure.exemptions))


def line_arrays(
    schedule: Schedule, policy: Policy, lines: list[Line] | None = None, *, like: Policy | None = None
) -> LineArrays:
    """Arrays for `lines` (default: the statistical lines with a general rate); cached on the schedule.

    `like`: a policy `policy` was derived from (a scenario's edits): its arrays are reused, and only the masks of
    the measures whose product scopes differ are computed (all of them when a metal-basis measure changed, since
    the metal shares depend on those)."""
    default = lines is None
    key = arrays_key(policy)
    cached = schedule.cache.get(key) if default else None
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    if default and like is not None and like.path != policy.path:
        arrays = _derived(schedule, policy, like)
        if arrays is not None:
            schedule.cache[key] = arrays
            return arrays
    if lines is None:
        lines = [line for line in schedule.statistical_lines() if line.general is not None]
    usmca = [usmca_rate(x) for x in lines]
    codes = _Codes([x.code for x in lines])
    arrays = LineArrays(
        lines,
        {x.code: i for i, x in enumerate(lines)},
        np.array([_av(x.general) for x in lines]),
        np.array([_av(x.column2) for x in lines]),
        np.array([_av(r) for r in usmca]),
        np.array([_simple(x.general) for x in lines]),
        np.array([_simple(x.column2) for x in lines]),
        np.array([_simple(r) for r in usmca]),
        _masks(policy.measures, codes),
        metal_shares(policy, codes),
    )
    if default:
        schedule.cache[key] = arrays
    return arrays


def metal_shares(policy: Policy, codes: _Codes) -> Floats:
    """Per line, `policy.metal_estimate(code)`'s share (1.0 where it gives none), with each metal measure's
    product scope taken as a mask over every line at once (the metals of a line are those whose scope covers it)."""
    from nearshore.tariffs.policy.metal import FULL_VALUE_CHAPTERS, metal_share

    metal = [m for m in policy.measures if m.basis == "metal" and m.metal]
    shares = np.ones(len(codes.codes))
    if not metal:
        return shares
    covered = np.array([codes.mask(m.products) for m in metal])
    for i in np.flatnonzero(covered.any(axis=0)):
        code = codes.codes[i]
        if not code.startswith(FULL_VALUE_CHAPTERS):
            share = metal_share(code, frozenset(m.metal for m, hit in zip(metal, covered[:, i], strict=True) if hit))
            shares[i] = 1.0 if share is None else share
    return shares


def _derived(schedule: Schedule, policy: Policy, like: Policy) -> LineArrays | None:
    """`like`'s arrays with the masks of `policy`'s changed or new measures; None when the metal shares differ."""
    if _metal_scopes(policy) != _metal_scopes(like):
        return None
    old = {m.id: _scope(m) for m in like.measures}
    changed = [m for m in policy.measures if old.get(m.id) != _scope(m)]
    arrays = line_arrays(schedule, like)
    return replace(arrays, masks={**arrays.masks, **_masks(changed, _Codes([x.code for x in arrays.lines]))})


def _metal_scopes(policy: Policy) -> frozenset[tuple[str, Products]]:
    """What `Policy.metal_estimate` depends on: the metal-basis measures' metals and product scopes."""
    return frozenset((m.metal, m.products) for m in policy.measures if m.basis == "metal" and m.metal)


def _specific(rate: Any) -> tuple[float, str, bool, bool, str]:
    """(dollars per unit of quantity, the least of its units (normalised), handled, has a specific term, base text)
    of one line's rate."""
    if rate is None or rate.kind not in ("specific", "compound", "reference"):
        return 0.0, "", False, False, ""
    terms = rate.terms
    units = {unit_key(t.unit) for t in terms if t.kind == "specific"}
    if not all(t.kind in ("ad_valorem", "specific", "reference") for t in terms):
        return 0.0, "", False, False, ""
    parts = [
        f"base ${t.value:g}/{t.unit}"
        if t.kind == "specific"
        else (
            f"base {percent(t.value)}" if t.kind == "ad_valorem" else f"base {percent(0.0)} on {BASIS_LABELS['none']}"
        )
        for t in terms
    ]
    per_unit = float(sum(t.value for t in terms if t.kind == "specific"))
    unit = min(units, default="")
    return per_unit, unit, True, bool(units), "; ".join(parts)


def _unit_count(rate: Any) -> int:
    """How many units the specific terms of a rate are in."""
    return len({unit_key(t.unit) for t in rate.terms if t.kind == "specific"}) if rate is not None else 0


SpecificColumn = Literal["general", "usmca", "column2"]
SPECIFIC_COLUMNS: tuple[SpecificColumn, ...] = ("general", "usmca", "column2")


def _column_rate(line: Line, column: str) -> Any:
    return line.column2 if column == "column2" else (usmca_rate(line) if column == "usmca" else line.general)


def specific_rates(arrays: LineArrays, policy: Policy, country: str, usmca: bool) -> SpecificArrays:
    """The per-unit part of the base rate `base_rates` picks for a country and claim (cached on the arrays)."""
    return specific_column(arrays, "column2" if country in policy.column2 else ("usmca" if usmca else "general"))


def specific_column(arrays: LineArrays, column: SpecificColumn) -> SpecificArrays:
    """The per-unit part of one rate column of every line (cached on the arrays, so kept with them on disk)."""
    found = arrays.specific.get(column)
    if found is None:
        rows = [_specific(_column_rate(line, column)) for line in arrays.lines]
        found = SpecificArrays(
            np.array([r[0] for r in rows], dtype=np.float64),
            np.array([r[1] for r in rows], dtype=np.str_),
            np.array([r[2] for r in rows], dtype=bool),
            np.array([r[3] for r in rows], dtype=bool),
            [r[4] for r in rows],
            np.array([_unit_count(_column_rate(line, column)) > 1 for line in arrays.lines], dtype=bool),
        )
        arrays.specific[column] = found
    return found


def base_rates(arrays: LineArrays, policy: Policy, country: str, usmca: bool) -> tuple[Floats, Bools]:
    """(base ad valorem rate, handled by the vector path) per line for a country and claim."""
    if country in policy.column2:
        return arrays.column2, arrays.column2_simple
    if usmca:
        return arrays.usmca, arrays.usmca_simple
    return arrays.general, arrays.general_simple


def layers(
    policy: Policy,
    arrays: LineArrays,
    country: str,
    on: date,
    base: Floats,
    usmca: bool,
    idx: npt.NDArray[np.int64] | None = None,
    auto_part: bool | None = None,
) -> list[Layer]:
    """Every measure's rate and basis kind over the lines (or the subset `idx`), after stacking.

    `auto_part` is the entry's end-use statement for end-use measures (duty.end_use_applies).
    """
    out: dict[str, Layer] = {}
    for measure in policy.measures:
        layer = _measure_layer(measure, arrays, country, on, base, usmca, idx, auto_part)
        if layer is not None:
            out[measure.id] = layer
    for rule in policy.stacking:
        if on >= rule.start:
            _stack(rule, out, len(base))
    return list(out.values())


def _measure_layer(
    measure: Measure,
    arrays: LineArrays,
    country: str,
    on: date,
    base: Floats,
    usmca: bool,
    idx: npt.NDArray[np.int64] | None,
    auto_part: bool | None,
) -> Layer | None:
    """One measure's rate over the lines, with its exemptions and product scope; None when it does not apply.

    No claims and no zero metal content on this path (entries with them go to the one-entry engine)."""
    n = len(base)
    if not measure.covers_country(country) or measure.requires:
        return None
    period = measure.period(country, on)
    if period is None or (measure.end_use and auto_part is False):
        return None
    rate = np.maximum(period.rate - base, 0.0) if period.floor else np.full(n, period.rate)
    for ex in reversed(measure.exemptions):  # the first matching exemption wins, as in duty.py
        if not ex.active(on) or (ex.usmca and not usmca) or ex.us_content or ex.claim or ex.zero_metal:
            continue
        if ex.countries is not None and country not in ex.countries:
            continue
        replacement = np.maximum(float(ex.rate or 0.0) - base, 0.0) if ex.floor else np.full(n, ex.rate or 0.0)
        where = arrays.masks[f"{measure.id}/{ex.id}"]
        scope = None if where is None else (where if idx is None else where[idx])
        rate = replacement if scope is None else np.where(scope, replacement, rate)
    mask = arrays.masks[measure.id]
    assert mask is not None
    if measure.end_use and auto_part is None:
        default = arrays.masks.get(f"{measure.id}/end-use")
        mask = mask & default if default is not None else np.zeros_like(mask)
    rate = np.where(mask if idx is None else mask[idx], rate, 0.0)
    kind = {"value": VALUE, "metal": METAL}.get(measure.basis, NON_US if usmca else VALUE)
    return Layer(measure.id, measure.authority, rate, np.full(n, kind, dtype=np.int8))


def _stack(rule: StackRule, out: dict[str, Layer], n: int) -> None:
    """Apply one stacking rule: where a triggering measure applies, the excluded measures are taken off
    (`full`) or moved to the part of the value the trigger does not cover."""
    triggers = [out[m] for m in sorted(rule.when) if m in out]
    if not triggers:
        return
    active = [t.rate > 0 for t in triggers]
    displaced = np.logical_or.reduce(active)
    found = {k: np.zeros(n, dtype=bool) for k in set(REMAINDER.values())}
    for layer, on_rows in zip(triggers, active, strict=True):
        for kind, remainder in REMAINDER.items():
            found[remainder] |= on_rows & (layer.kind == kind)
    count = sum(f.astype(np.int8) for f in found.values())
    single = np.full(n, NONE, dtype=np.int8)
    for remainder, rows in found.items():
        single = np.where(rows & (count == 1), remainder, single).astype(np.int8)
    for excluded in sorted(rule.excludes):
        target = out.get(excluded)
        if target is None:
            continue
        if rule.mode == "full":
            target.rate = np.where(displaced, 0.0, target.rate)
            target.kind = np.where(displaced, NONE, target.kind).astype(np.int8)
        else:
            moved = np.where(target.kind != VALUE, NONE, single)
            target.kind = np.where(displaced, moved, target.kind).astype(np.int8)


__all__ = [
    "KINDS",
    "KIND_CODES",
    "SPECIFIC_COLUMNS",
    "Layer",
    "LineArrays",
    "SpecificArrays",
    "SpecificColumn",
    "arrays_key",
    "base_rates",
    "layers",
    "line_arrays",
    "specific_column",
    "specific_rates",
    "usmca_rate",
]
