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

from nearshore.errors import NearshoreError, Problem, ValidationFailed
from nearshore.tariffs.duty import BasisKind, Entry, calculate, de_minimis_applies, resolve_origin
from nearshore.tariffs.policy import Policy
from nearshore.tariffs.schedule import Schedule

REQUIRED = ("hts", "origin", "value", "date")
OPTIONAL = ("quantity", "unit", "usmca", "program", "metal_value", "us_content")
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

    def __len__(self) -> int:
        return len(self.value)

    def entry(self, i: int) -> Entry:
        def opt(a: Floats) -> float | None:
            return None if np.isnan(a[i]) else float(a[i])

        return Entry(self.hts[i].as_py() or "", self.origin[i].as_py() or "", float(self.value[i]),
                     self.on[i].as_py(), opt(self.quantity), self.unit[i].as_py() or None, bool(self.usmca[i]),
                     self.program[i].as_py() or None, opt(self.metal_value), opt(self.us_content))


@dataclass(frozen=True)
class BatchResult:
    duty: Floats
    layers: list[str]  # per group: "layer heading rate; ..."
    group: npt.NDArray[np.int64]  # group index of each row
    groups: int
    revision: str
    policy_version: str

    @property
    def layer_text(self) -> list[str]:
        return [self.layers[g] for g in self.group]


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


def _group_keys(entries: Entries, policy: Policy) -> tuple[npt.NDArray[np.int64], list[int]]:
    """Group index per row and the first row of each group, for the columns that change the rates."""
    import pyarrow as pa

    codes: list[npt.NDArray[np.int64]] = []
    for column in (entries.hts, entries.origin, entries.unit, entries.program):
        encoded = column.dictionary_encode()
        codes.append(np.asarray(encoded.indices.fill_null(-1)).astype(np.int64) + 1)
    day = np.asarray(entries.on.cast(pa.int32()).fill_null(0)).astype(np.int64)
    codes.append(np.searchsorted(regime_boundaries(policy), day, side="right").astype(np.int64))
    flags = (entries.usmca.astype(np.int64) | np.isnan(entries.quantity) << 1 | np.isnan(entries.metal_value) << 2
             | np.isnan(entries.us_content) << 3)
    codes.append(flags.astype(np.int64))
    key = np.zeros(len(entries), dtype=np.int64)
    for code in codes:
        key = key * (int(code.max()) + 1 if len(code) else 1) + code
        if len(key) and key.max() > 2**40:  # keep the mixed-radix key inside int64
            _, key = np.unique(key, return_inverse=True)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return inverse.astype(np.int64).reshape(-1), [int(i) for i in first]


def duty_vectorised(entries: Entries, schedule: Schedule, policy: Policy, *, file: str = "entries",
                    progress: Callable[[int, int], None] | None = None) -> BatchResult:
    """Total duty per row. Rows whose group cannot be calculated are all reported (ValidationFailed)."""
    group, firsts = _group_keys(entries, policy)
    n_groups = len(firsts)
    coef = np.zeros((len(KINDS), n_groups))
    de_min_ok = np.zeros(n_groups, dtype=bool)
    layers: list[str] = []
    problems: list[Problem] = []
    for g, row in enumerate(firsts):
        entry = entries.entry(row)
        representative = replace(entry, value=max(entry.value, policy.de_minimis_threshold + 1.0))
        try:
            result = calculate(representative, schedule, policy)
            de_min_ok[g] = de_minimis_applies(policy, result.origin.id, replace(entry, value=0.0))
        except NearshoreError as exc:
            same = int(np.count_nonzero(group == g)) - 1
            more = f" (and {same} more row(s) with the same line, origin and dates)" if same else ""
            problems.append(Problem(file, row + 2, "hts", entry.hts, str(exc) + more))
            layers.append("")
            continue
        for component in result.components:
            if component.basis in KINDS:
                coef[KINDS.index(component.basis), g] += component.rate
        layers.append("; ".join(f"{c.layer} {c.heading} {c.rate_text}" for c in result.components if c.rate))
        if progress is not None:
            progress(g + 1, n_groups)
    if problems:
        raise ValidationFailed(sorted(problems, key=lambda p: p.row or 0))
    value = entries.value
    metal = np.where(np.isnan(entries.metal_value), value, np.minimum(entries.metal_value, value))
    us = np.where(np.isnan(entries.us_content), 0.0, np.minimum(entries.us_content, value))
    bases = {"value": value, "metal": metal, "value-metal": value - metal, "non-us": value - us, "us": us,
             "quantity": np.nan_to_num(entries.quantity)}
    duty = np.zeros(len(entries))
    for k, kind in enumerate(KINDS):
        duty += coef[k][group] * bases[kind]
    duty[de_min_ok[group] & (value <= policy.de_minimis_threshold)] = 0.0
    return BatchResult(np.round(duty, 2), layers, group, n_groups, schedule.revision, policy.version)


def duty_loop(entries: Entries, schedule: Schedule, policy: Policy) -> Floats:
    """The same totals, one `calculate` call per row (the baseline the vectorised path is measured against)."""
    return np.array([calculate(entries.entry(i), schedule, policy).total for i in range(len(entries))])


def read_entries(path: Path) -> Entries:
    """Entry lines from CSV (pyarrow reader) or JSON (a list of objects) with the REQUIRED columns."""
    from nearshore.data.sources.base import require_file

    require_file(path)
    if path.suffix.lower() == ".json":
        import json

        records = json.loads(path.read_text(encoding="utf-8"))
        columns = {name: [r.get(name) for r in records] for name in (*REQUIRED, *OPTIONAL)}
    else:
        import pyarrow.csv as pacsv

        table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
            column_types={"hts": "string", "origin": "string", "date": "string", "unit": "string",
                          "program": "string", "usmca": "string"}))
        columns = {name: table.column(name).to_pylist() if name in table.column_names else [None] * table.num_rows
                   for name in (*REQUIRED, *OPTIONAL)}
    return entries_from_columns(columns, str(path))


def entries_from_columns(columns: dict[str, list[Any]], file: str = "entries") -> Entries:
    import pyarrow as pa

    missing = [c for c in REQUIRED if c not in columns or all(v is None for v in columns[c])]
    if missing:
        raise ValidationFailed([Problem(file, 1, c, None, "required column missing",
                                        f"the columns are {', '.join(REQUIRED)} and optionally "
                                        f"{', '.join(OPTIONAL)}") for c in missing])
    n = len(columns["hts"])
    problems: list[Problem] = []
    dates: list[date] = []
    for i, text in enumerate(columns["date"]):
        try:
            dates.append(date.fromisoformat(str(text)))
        except ValueError:
            problems.append(Problem(file, i + 2, "date", str(text), "not a date", "write it as YYYY-MM-DD"))
            dates.append(date.min)

    def floats(name: str, required: bool = False) -> Floats:
        out = np.full(n, np.nan)
        for i, v in enumerate(columns.get(name) or [None] * n):
            if v is None or v == "":
                if required:
                    problems.append(Problem(file, i + 2, name, "", "missing", "give the customs value in USD"))
                continue
            try:
                out[i] = float(v)
            except (TypeError, ValueError):
                problems.append(Problem(file, i + 2, name, str(v), "not a number", "fix the cell"))
        return out

    value = floats("value", required=True)
    result = Entries(
        hts=pa.array([str(v or "") for v in columns["hts"]], pa.string()),
        origin=pa.array([str(v or "") for v in columns["origin"]], pa.string()), on=pa.array(dates, pa.date32()),
        value=value, quantity=floats("quantity"), metal_value=floats("metal_value"),
        us_content=floats("us_content"),
        usmca=np.array([str(v).strip().lower() in ("1", "true", "yes", "y") for v in
                        (columns.get("usmca") or [None] * n)], dtype=bool),
        unit=pa.array([str(v or "") for v in (columns.get("unit") or [None] * n)], pa.string()),
        program=pa.array([str(v or "") for v in (columns.get("program") or [None] * n)], pa.string()),
    )
    if problems:
        raise ValidationFailed(problems)
    return result


__all__ = ["BatchResult", "Entries", "duty_loop", "duty_vectorised", "entries_from_columns", "read_entries",
           "resolve_origin"]
