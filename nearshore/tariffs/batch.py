"""Duty on many entry lines at once, vectorised with numpy.

Dates are first reduced to policy regimes (the intervals between the days on which anything in the policy
changes). Within one (HTS line, origin, regime, USMCA claim, programme, unit) group, every duty layer is `rate x basis`
with the basis one of a few quantities of the entry (duty.py), so the engine is run once per group on a
representative entry and the rates are then applied to all rows of the group as arrays. De minimis is the one
threshold and is applied as a row mask. `duty_loop` is the same calculation one row at a time (the baseline).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from nearshore.errors import (
    NearshoreError,
    PolicyCoverageError,
    Problem,
    TariffError,
    UnknownCodeError,
    ValidationFailed,
)
from nearshore.tariffs.duty import (
    BASIS_LABELS,
    BasisKind,
    Entry,
    amount_problems,
    amount_text,
    calculate,
    de_minimis_applies,
    percent,
    resolve_origin,
)
from nearshore.tariffs.policy import Policy
from nearshore.tariffs.schedule import Schedule
from nearshore.tariffs.vector import KIND_CODES, LineArrays, base_rates, layers, line_arrays
from nearshore.tariffs.vector import KINDS as VKINDS

REQUIRED = ("hts", "origin", "value", "date")
OPTIONAL = ("quantity", "unit", "usmca", "program", "metal_value", "us_content", "auto_part")
OUTCOME = "no duty was calculated"


def _invalid(problems: list[Problem]) -> ValidationFailed:
    """Every problem of the entry file: nothing is written and no duty was calculated."""
    return ValidationFailed(problems, outcome=OUTCOME)


KINDS: tuple[BasisKind, ...] = ("value", "metal", "value-metal", "non-us", "us", "quantity")
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Entries:
    """Entry lines as columns: text and dates as Arrow arrays, numbers as numpy (NaN = not given)."""

    hts: Any  # pyarrow string arrays
    origin: Any
    on: Any  # pyarrow date32
    value: Floats
    quantity: Floats
    metal_value: Floats
    us_content: Floats
    usmca: npt.NDArray[np.bool_]
    unit: Any
    program: Any
    auto_part: npt.NDArray[np.int8] | None = None  # 1 yes, 0 no, -1 not said (None: not said for every row)

    def __len__(self) -> int:
        return len(self.value)

    def entry(self, i: int) -> Entry:
        def opt(a: Floats) -> float | None:
            return None if np.isnan(a[i]) else float(a[i])

        said = -1 if self.auto_part is None else int(self.auto_part[i])
        return Entry(
            self.hts[i].as_py() or "",
            self.origin[i].as_py() or "",
            float(self.value[i]),
            self.on[i].as_py(),
            opt(self.quantity),
            self.unit[i].as_py() or None,
            bool(self.usmca[i]),
            self.program[i].as_py() or None,
            opt(self.metal_value),
            opt(self.us_content),
            None if said < 0 else bool(said),
        )


@dataclass(frozen=True)
class BatchResult:
    duty: Floats
    group: npt.NDArray[np.int64]  # group index of each row
    groups: int
    revision: str
    policy_version: str
    texts: list[str]  # per group, for the groups rated one at a time ("" for the others)
    contexts: list[tuple[npt.NDArray[np.int64], Floats, list[tuple[str, Floats, npt.NDArray[np.int8]]]]]

    def layers(self) -> list[str]:
        """Per group: "base 2.5%; ieepa-fentanyl-mex 25%" (built on demand: it is the slow part)."""
        out = list(self.texts)
        none = KIND_CODES["none"]
        for gs, base, summary in self.contexts:
            for j, g in enumerate(gs):
                parts = [
                    layer_text(name, percent(float(rate[j])), VKINDS[int(kind[j])])
                    for name, rate, kind in summary
                    if rate[j] and kind[j] != none
                ]
                out[g] = "; ".join([f"base {percent(float(base[j]))}", *parts])
        return out

    @property
    def layer_text(self) -> list[str]:
        texts = self.layers()
        return [texts[g] for g in self.group]


def regime_boundaries(policy: Policy) -> npt.NDArray[np.int64]:
    """Days (since 1970-01-01) on which some rate, exemption, rule or threshold of the policy changes.

    Two dates between the same boundaries give the same duty for the same line and origin.
    """
    epoch = date(1970, 1, 1)
    days: set[date] = {policy.start, policy.end + timedelta(days=1)}
    for measure in policy.measures:
        for period in measure.rates:
            days.add(period.start)
            if period.end is not None:
                days.add(period.end + timedelta(days=1))
        for ex in measure.exemptions:
            days.update(d for d in (ex.start, ex.end and ex.end + timedelta(days=1)) if d is not None)
    days.update(rule.start for rule in policy.stacking)
    days.update(start for _, start, _ in policy.de_minimis_suspended)
    return np.array(sorted((d - epoch).days for d in days), dtype=np.int64)


def _codes(column: Any) -> tuple[npt.NDArray[np.int64], list[Any]]:
    encoded = column.dictionary_encode()
    return np.asarray(encoded.indices.fill_null(0)).astype(np.int64), encoded.dictionary.to_pylist()


def _combine(parts: list[npt.NDArray[np.int64]]) -> tuple[npt.NDArray[np.int64], list[int]]:
    """Group index per row for the combination of integer codes, and the first row of each group."""
    key = np.zeros(len(parts[0]), dtype=np.int64)
    for part in parts:
        key = key * (int(part.max()) + 1 if len(part) else 1) + part
        if len(key) and key.max() > 2**40:  # keep the mixed-radix key inside int64
            _, key = np.unique(key, return_inverse=True)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return inverse.astype(np.int64).reshape(-1), [int(i) for i in first]


@dataclass
class _Plan:
    """How each group gets its rates: the vector path per context, or the one-entry engine."""

    coef: Floats  # (kinds x groups)
    de_minimis: npt.NDArray[np.bool_]  # per group
    layers: list[str]
    problems: list[Problem]
    contexts: list[Any]


def _context_problem(entry: Entry, policy: Policy) -> tuple[str, str | None]:
    """(ISO3 origin, error message or None) for a context's representative entry."""
    try:
        policy.check_date(entry.on)
        partner = resolve_origin(entry.origin, policy)
        if entry.usmca and partner.id not in policy.groups.get("USMCA", frozenset()):
            return partner.id, (f"USMCA treatment (--usmca) is only for goods of Canada or Mexico, not {partner.name}")
        return partner.id, None
    except (PolicyCoverageError, UnknownCodeError) as exc:  # the date, or the origin, cannot be rated
        return "", str(exc)


@dataclass(frozen=True)
class _Groups:
    """Rows grouped twice: by context (origin, regime, USMCA claim, programme, end use) and by group (HTS line,
    context, unit and which optional amounts are given); every row of a group pays the same rates."""

    context: npt.NDArray[np.int64]  # context index of each row
    context_first: list[int]  # first row of each context
    group: npt.NDArray[np.int64]  # group index of each row
    firsts: list[int]  # first row of each group
    hts_code: npt.NDArray[np.int64]  # index into hts_values of each row
    hts_values: list[Any]
    program_code: npt.NDArray[np.int64]
    program_values: list[Any]


def _group(entries: Entries, policy: Policy) -> _Groups:
    import pyarrow as pa

    hts_code, hts_values = _codes(entries.hts)
    origin_code, _ = _codes(entries.origin)
    unit_code, _ = _codes(entries.unit)
    program_code, program_values = _codes(entries.program)
    day = np.asarray(entries.on.cast(pa.int32()).fill_null(0)).astype(np.int64)
    regime = np.searchsorted(regime_boundaries(policy), day, side="right").astype(np.int64)
    usmca = entries.usmca.astype(np.int64)
    flags = (
        np.isnan(entries.quantity).astype(np.int64)
        | np.isnan(entries.metal_value) << 1
        | np.isnan(entries.us_content) << 2
    )
    auto_part = (
        np.zeros(len(entries), dtype=np.int64) if entries.auto_part is None else entries.auto_part.astype(np.int64) + 1
    )
    context, context_first = _combine([origin_code, regime, usmca, program_code, auto_part])
    group, firsts = _combine([hts_code, context, unit_code, flags])
    return _Groups(context, context_first, group, firsts, hts_code, hts_values, program_code, program_values)


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
    plan = _Plan(np.zeros((len(KINDS), len(firsts))), np.zeros(len(firsts), dtype=bool), [""] * len(firsts), [], [])
    first_rows = np.array(firsts, dtype=np.int64)
    group_context = g.context[first_rows]
    contexts = [_context_problem(entries.entry(row), policy) for row in g.context_first]
    # the statistical-line index of each distinct HTS text (-1: not a statistical line, or unknown)
    hts_index = np.array(
        [arrays.index.get(_line_code(schedule, text or ""), -1) for text in g.hts_values], dtype=np.int64
    )
    line_of_group = hts_index[g.hts_code[first_rows]]
    program_ok = np.array([(p or "") in ("", "S", "S+") for p in g.program_values], dtype=bool)
    simple = (line_of_group >= 0) & program_ok[g.program_code[first_rows]]
    for c, (iso3, problem) in enumerate(contexts):
        members = group_context == c
        if problem:
            simple[members] = False
            continue
        _, handled = base_rates(arrays, policy, iso3, bool(entries.usmca[g.context_first[c]]))
        simple[members] &= handled[np.maximum(line_of_group[members], 0)]
    for k in np.flatnonzero(~simple):
        _scalar_group(plan, int(k), firsts[k], entries, schedule, policy, file, g.group)
    if progress is not None:
        progress(1, len(contexts) + 1)
    order = np.flatnonzero(simple)
    by_context = order[np.argsort(group_context[order], kind="stable")]
    bounds = np.searchsorted(group_context[by_context], np.arange(len(contexts) + 1))
    for c, (iso3, _) in enumerate(contexts):
        gs = by_context[bounds[c] : bounds[c + 1]]
        if len(gs):
            _vector_context(plan, gs, entries.entry(g.context_first[c]), iso3, line_of_group[gs], arrays, policy)
        if progress is not None:
            progress(c + 2, len(contexts) + 1)
    if plan.problems:
        raise _invalid(sorted(plan.problems, key=lambda p: p.row or 0))
    return BatchResult(
        _totals(entries, plan, g.group, policy),
        g.group,
        len(firsts),
        schedule.revision,
        policy.version,
        plan.layers,
        plan.contexts,
    )


def _vector_context(
    plan: _Plan,
    gs: npt.NDArray[np.int64],
    rep: Entry,
    iso3: str,
    idx: npt.NDArray[np.int64],
    arrays: LineArrays,
    policy: Policy,
) -> None:
    """Rates of the groups `gs` of one context, on their statistical lines `idx`, from the vector path."""
    base_all, _ = base_rates(arrays, policy, iso3, rep.usmca)
    base = base_all[idx]
    found = layers(policy, arrays, iso3, rep.on, base, rep.usmca, idx=idx, auto_part=rep.auto_part)
    plan.coef[KINDS.index("value"), gs] += base
    for layer in found:
        for k, kind in enumerate(VKINDS):
            if kind in KINDS:
                plan.coef[KINDS.index(kind), gs] += np.where(layer.kind == k, layer.rate, 0.0)
    plan.de_minimis[gs] = de_minimis_applies(policy, iso3, replace(rep, value=0.0))
    plan.contexts.append((gs, base, [(layer.measure, layer.rate, layer.kind) for layer in found if layer.rate.any()]))


def _totals(entries: Entries, plan: _Plan, group: npt.NDArray[np.int64], policy: Policy) -> Floats:
    """Each row's duty: its group's rate per basis times the row's amount of that basis, less de minimis."""
    value = entries.value
    metal = np.where(np.isnan(entries.metal_value), value, np.minimum(entries.metal_value, value))
    us = np.where(np.isnan(entries.us_content), 0.0, np.minimum(entries.us_content, value))
    bases = {
        "value": value,
        "metal": metal,
        "value-metal": value - metal,
        "non-us": value - us,
        "us": us,
        "quantity": np.nan_to_num(entries.quantity),
    }
    duty = np.zeros(len(entries))
    for k, kind in enumerate(KINDS):
        duty += plan.coef[k][group] * bases[kind]
    duty[plan.de_minimis[group] & (value <= policy.de_minimis_threshold)] = 0.0
    return np.round(duty, 2)


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
    plan: _Plan,
    g: int,
    row: int,
    entries: Entries,
    schedule: Schedule,
    policy: Policy,
    file: str,
    group: npt.NDArray[np.int64],
) -> None:
    """Rates for one group from the one-entry engine (per-unit rates, other programmes, errors)."""
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
    for component in result.components:
        if component.basis in KINDS:
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


def layer_text(name: str, rate: str, basis: str) -> str:
    """'ieepa-fentanyl-mex 25%', 's232-steel 50% on metal value': one layer of a line's duty, as `layers` shows."""
    return f"{name} {rate}" + ("" if basis in ("value", "quantity") else f" on {BASIS_LABELS[basis]}")


def duty_loop(entries: Entries, schedule: Schedule, policy: Policy) -> Floats:
    """The same totals, one `calculate` call per row (the baseline the vectorised path is measured against)."""
    return np.array([calculate(entries.entry(i), schedule, policy).total for i in range(len(entries))])


def read_entries(path: Path) -> Entries:
    """Entry lines from CSV (pyarrow reader) or JSON (a list of objects) with the REQUIRED columns."""
    from nearshore.data.sources.base import require_file

    require_file(path)
    if path.suffix.lower() == ".json":
        import json

        try:
            records = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise _invalid(
                [
                    Problem(
                        str(path),
                        None,
                        None,
                        None,
                        f"not readable JSON: {exc}",
                        "write a list of objects with hts, origin, value, date",
                    )
                ]
            ) from None
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise _invalid(
                [
                    Problem(
                        str(path),
                        None,
                        None,
                        type(records).__name__,
                        "expected a list of entry objects",
                        "write a list of objects with hts, origin, value, date",
                    )
                ]
            )
        columns = {name: [r.get(name) for r in records] for name in (*REQUIRED, *OPTIONAL)}
    else:
        import pyarrow.csv as pacsv

        table = pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types={
                    "hts": "string",
                    "origin": "string",
                    "date": "string",
                    "unit": "string",
                    "program": "string",
                    "usmca": "string",
                    "auto_part": "string",
                }
            ),
        )
        columns = {
            name: table.column(name).to_pylist() for name in (*REQUIRED, *OPTIONAL) if name in table.column_names
        }
    return entries_from_columns(columns, str(path))


def _yes_no(problems: list[Problem], file: str, i: int, value: Any) -> int:
    text = "" if value is None else str(value).strip().lower()
    if text in ("", "nan", "none"):
        return -1
    if text in ("1", "true", "yes", "y"):
        return 1
    if text in ("0", "false", "no", "n"):
        return 0
    problems.append(Problem(file, i + 2, "auto_part", str(value), "not yes/no", "write 1 or 0 (or leave empty)"))
    return -1


def entries_from_columns(columns: dict[str, list[Any]], file: str = "entries") -> Entries:
    """Entry lines from columns of cells (None or "" for an empty cell); every bad cell is reported at once."""
    import pyarrow as pa

    _check_columns(columns, file)
    n = len(columns["hts"])
    problems: list[Problem] = []

    def cells(name: str) -> list[Any]:
        return columns.get(name) or [None] * n

    def text(name: str) -> Any:
        return pa.array([str(v or "") for v in cells(name)], pa.string())

    result = Entries(
        hts=text("hts"),
        origin=text("origin"),
        on=pa.array(_dates(columns["date"], problems, file), pa.date32()),
        value=_floats(cells("value"), "value", problems, file, required=True),
        quantity=_floats(cells("quantity"), "quantity", problems, file),
        metal_value=_floats(cells("metal_value"), "metal_value", problems, file),
        us_content=_floats(cells("us_content"), "us_content", problems, file),
        usmca=np.array([str(v).strip().lower() in ("1", "true", "yes", "y") for v in cells("usmca")], dtype=bool),
        unit=text("unit"),
        program=text("program"),
        auto_part=np.array([_yes_no(problems, file, i, v) for i, v in enumerate(cells("auto_part"))], dtype=np.int8),
    )
    _check_amounts(result, problems, file)
    if problems:
        raise _invalid(problems)
    return result


def _check_columns(columns: dict[str, list[Any]], file: str) -> None:
    """The required columns are there and the file has entry lines."""
    missing = [c for c in REQUIRED if c not in columns or (columns[c] and all(v is None for v in columns[c]))]
    fix = f"the columns are {', '.join(REQUIRED)} and optionally {', '.join(OPTIONAL)}"
    if missing:
        raise _invalid([Problem(file, 1, c, None, "required column missing", fix) for c in missing])
    if not columns["hts"]:
        fix = "add one line per entry (hts, origin, value, date)"
        raise _invalid([Problem(file, None, None, None, "no entry lines", fix)])


def _dates(cells: list[Any], problems: list[Problem], file: str) -> list[date]:
    dates = []
    for i, text in enumerate(cells):
        try:
            dates.append(date.fromisoformat(str(text)))
        except ValueError:
            problems.append(Problem(file, i + 2, "date", str(text), "not a date", "write it as YYYY-MM-DD"))
            dates.append(date.min)
    return dates


def _floats(cells: list[Any], name: str, problems: list[Problem], file: str, *, required: bool = False) -> Floats:
    """The column as numbers, NaN where empty (a problem when `required`) or not a number (a problem)."""
    out = np.full(len(cells), np.nan)
    for i, v in enumerate(cells):
        if v is None or v == "":
            if required:
                problems.append(Problem(file, i + 2, name, "", "missing", "give the customs value in USD"))
            continue
        try:
            out[i] = float(v)
        except (TypeError, ValueError):
            problems.append(Problem(file, i + 2, name, str(v), "not a number", "fix the cell"))
    return out


def _check_amounts(entries: Entries, problems: list[Problem], file: str) -> None:
    """Negative amounts, and metal or U.S. content above the customs value (duty.amount_problems), per row."""

    def opt(a: Floats, i: int) -> float | None:
        return None if np.isnan(a[i]) else float(a[i])

    value = entries.value
    with np.errstate(invalid="ignore"):
        suspect = (
            (value < 0)
            | (entries.quantity < 0)
            | (entries.metal_value < 0)
            | (entries.us_content < 0)
            | (entries.metal_value > value)
            | (entries.us_content > value)
        )
    for i in map(int, np.flatnonzero(suspect)):
        for name, amount, what, fix in amount_problems(
            float(value[i]), opt(entries.quantity, i), opt(entries.metal_value, i), opt(entries.us_content, i)
        ):
            problems.append(Problem(file, i + 2, name, amount_text(amount), what, fix))


__all__ = [
    "BatchResult",
    "Entries",
    "duty_loop",
    "duty_vectorised",
    "entries_from_columns",
    "read_entries",
    "resolve_origin",
]
