"""The figures of a rule change over a portfolio: totals, and each BOM whose answer changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from nearshore.analytics.result import Figure, FigureRow, FigureTable, Period, Provenance, Unit
from nearshore.scenarios.result import Assumption, ScenarioResult

if TYPE_CHECKING:
    from nearshore.scenarios.rules.changes import RuleChange
    from nearshore.scenarios.rules.request import RulesRequest

ENGINE: Final = "rules-portfolio"
TABLES: Final = ("totals", "boms")
BOM_MEASURES: Final[tuple[tuple[str, Unit, str], ...]] = (
    ("qualifies_before", "count", "qualifies under the rules in force (1 yes, 0 no)"),
    ("qualifies_after", "count", "qualifies under the changed rules (1 yes, 0 no)"),
    ("margin_before", "pp", "tightest margin before (points)"),
    ("margin_after", "pp", "tightest margin after (points)"),
    ("annual_value", "USD", "annual value (volume x unit value)"),
    ("duty_change", "USD", "annual duty change"),
)


@dataclass
class Outcome:
    """One BOM before and after, as the report needs it (plain values: outcomes travel between processes).
    Margins and the fix are filled for a BOM whose answer changes; the duty fields when it is priced."""

    source: str
    hs: str
    hts: str | None
    country: str
    annual_value: float
    before: bool
    after: bool
    redetermined: bool
    margin_before: float | None = None
    margin_after: float | None = None
    fix: str = ""
    fixed: bool = False
    duty_change: float = 0.0
    duty_note: str = ""

    @property
    def flipped(self) -> bool:
        return self.before != self.after

    @property
    def lost(self) -> bool:
        return self.before and not self.after


def report(
    outcomes: list[Outcome], change: RuleChange, request: RulesRequest, on: dt.date, duty_on: dt.date
) -> ScenarioResult:
    period = Period.month(on.year, on.month)
    again = sum(o.redetermined for o in outcomes)
    notes = [
        f"determinations on {on.isoformat()} by nearshore.origin; duty by the tariff engine on {duty_on.isoformat()}",
        f"{again:,} of {len(outcomes):,} BOMs determined again under the change; the others read none of the "
        "thresholds it alters and no other change applies to them, so their answer is the same",
    ]
    unpriced = [o for o in outcomes if o.duty_note]
    if unpriced:
        notes.append(f"{len(unpriced):,} BOM(s) whose answer changes have no duty figure, e.g. {unpriced[0].duty_note}")
    prov = Provenance(sources=("portfolio",), vintages=(), query="", notes=tuple(notes))
    tables = (("totals", _totals(outcomes, period, prov)), ("boms", _boms(outcomes, request.top, period, prov)))
    return ScenarioResult(
        engine=ENGINE,
        title=f"Rule change over {len(outcomes):,} BOMs: {change.describe()}",
        tables=tables,
        assumptions=_assumptions(change, request, on, duty_on),
        provenance=prov,
    )


def _figure(
    value: float, unit: Unit, label: str, period: Period, prov: Provenance, subject: tuple[tuple[str, str], ...]
) -> Figure:
    if unit == "USD":
        return Figure(value, unit, label, period, prov, scale="units", decimals=0, subject=subject)
    return Figure(value, unit, label, period, prov, decimals=0 if unit == "count" else 2, subject=subject)


def _totals(outcomes: list[Outcome], period: Period, prov: Provenance) -> FigureTable:
    lost = [o for o in outcomes if o.lost]
    gained = [o for o in outcomes if o.flipped and not o.lost]
    values: tuple[tuple[str, Unit, str, float], ...] = (
        ("boms", "count", "BOMs in the portfolio", len(outcomes)),
        ("qualifying_before", "count", "BOMs qualifying under the rules in force", sum(o.before for o in outcomes)),
        ("qualifying_after", "count", "BOMs qualifying under the changed rules", sum(o.after for o in outcomes)),
        ("lose", "count", "BOMs that stop qualifying", len(lost)),
        ("gain", "count", "BOMs that start qualifying", len(gained)),
        ("value_losing", "USD", "annual value of the BOMs that stop qualifying", _value(lost)),
        ("duty_change", "USD", "annual duty change of the portfolio", sum(o.duty_change for o in outcomes)),
        ("with_fix", "count", "BOMs that stop qualifying with a sourcing fix found", _count_fixes(lost)),
    )
    subject = (("portfolio", "all"),)
    figures = tuple(_figure(float(v), unit, label, period, prov, subject) for _, unit, label, v in values)
    names = tuple(name for name, *_ in values)
    return FigureTable("Portfolio totals", ("portfolio",), names, (FigureRow(("all",), figures),), prov)


def _count_fixes(outcomes: list[Outcome]) -> int:
    return sum(o.fixed for o in outcomes)


def _value(outcomes: list[Outcome]) -> float:
    return sum(o.annual_value for o in outcomes)


def _boms(outcomes: list[Outcome], top: int, period: Period, prov: Provenance) -> FigureTable:
    flipped = sorted((o for o in outcomes if o.flipped), key=lambda o: (-abs(o.duty_change), -o.annual_value))
    shown = flipped if top == 0 else flipped[:top]
    rows = []
    for o in shown:
        key = (o.source, o.hs, o.fix, o.duty_note)
        subject = (("bom", o.source),)
        values = (float(o.before), float(o.after), o.margin_before, o.margin_after, o.annual_value, o.duty_change)
        figures = tuple(
            None if v is None else _figure(v, unit, f"{o.source}: {label}", period, prov, subject)
            for v, (_, unit, label) in zip(values, BOM_MEASURES, strict=True)
        )
        rows.append(FigureRow(key, figures))
    title = f"BOMs whose answer changes ({len(shown):,} of {len(flipped):,}, largest duty change first)"
    columns = ("bom", "hs", "cheapest_fix", "duty_note")
    return FigureTable(title, columns, tuple(m for m, *_ in BOM_MEASURES), tuple(rows), prov)


def _assumptions(change: RuleChange, request: RulesRequest, on: dt.date, duty_on: dt.date) -> tuple[Assumption, ...]:
    checksum = f" (sha256 {change.checksum[:12]})" if change.checksum else ""
    items = [
        Assumption("portfolio", str(request.portfolio), "the BOMs, their annual volumes and unit values (USD)"),
        Assumption("changes", change.name, change.describe(), change.source + checksum),
        Assumption(
            "date",
            on.isoformat(),
            "date of the determinations (the changes apply from the file's date, else from this one)",
            "option --date" if request.on else ("change file" if change.date else "today"),
        ),
        Assumption(
            "duty_date",
            duty_on.isoformat(),
            "date of the tariff engine's rates",
            "option --duty-date" if request.duty_date else "the determination date",
        ),
        Assumption("thresholds", change.thresholds.source, "the origin engine's thresholds, changed as the file says"),
        Assumption(
            "duty",
            "annual value x (rate after - rate before)",
            "with a USMCA claim when the good qualifies, without when not; ad valorem equivalents of the HTS line",
            "nearshore.tariffs",
        ),
        Assumption(
            "cheapest_fix",
            "smallest value first" if request.fixes else "not searched (--no-fixes)",
            "the single material of least value whose sourcing as originating restores qualification under the "
            "changed rules and caps; else a sufficient set, largest VNM first",
            "nearshore.scenarios.rules.fixes",
        ),
    ]
    items += [Assumption(f"change_{k}", text, "rule change", change.source) for k, text in enumerate(change.texts, 1)]
    return tuple(items)


__all__ = ["ENGINE", "TABLES", "Outcome", "report"]
