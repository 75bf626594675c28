"""The figures of a rule change over a portfolio: totals, and each BOM whose answer changes (or every BOM)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from nearshore.analytics.result import Figure, FigureRow, FigureTable, Period, Provenance, Unit
from nearshore.origin.result import Determination, Test
from nearshore.scenarios.result import Assumption, ScenarioResult

if TYPE_CHECKING:
    from nearshore.scenarios.rules.changes import RuleChange
    from nearshore.scenarios.rules.portfolio import Holding
    from nearshore.scenarios.rules.service import RulesRequest

ENGINE: Final = "rules-portfolio"
BOM_MEASURES: Final = (
    ("qualifies_before", "count", "qualifies under the rules in force (1 yes, 0 no)"),
    ("qualifies_after", "count", "qualifies under the changed rules (1 yes, 0 no)"),
    ("margin_before", "pp", "tightest margin before (points)"),
    ("margin_after", "pp", "tightest margin after (points)"),
    ("annual_value", "USD", "annual value (volume x unit value)"),
    ("duty_change", "USD", "annual duty change"),
)


@dataclass
class Outcome:
    """One BOM before and after; duty fields are filled when the answer changes."""

    holding: Holding
    before: Determination
    after: Determination
    caps: tuple[Test, ...]
    qualifies: bool
    margin_before: float | None
    margin_after: float | None
    fix: str
    duty_change: float = 0.0
    duty_note: str = ""

    @property
    def flipped(self) -> bool:
        return self.before.qualifies != self.qualifies


def report(
    outcomes: list[Outcome], change: RuleChange, request: RulesRequest, on: dt.date, duty_on: dt.date
) -> ScenarioResult:
    period = Period.month(on.year, on.month)
    notes = [
        f"determinations on {on.isoformat()} by nearshore.origin; duty by nearshore.tariffs on {duty_on.isoformat()}"
    ]
    unpriced = [o for o in outcomes if o.flipped and (o.duty_note or not o.holding.hts)]
    if unpriced:
        notes.append(
            f"{len(unpriced)} BOM(s) whose answer changes have no duty figure (no HTS line, a U.S. good, or: {unpriced[0].duty_note or 'no HTS line'})"
        )
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
    lost = [o for o in outcomes if o.before.qualifies and not o.qualifies]
    gained = [o for o in outcomes if not o.before.qualifies and o.qualifies]
    values: tuple[tuple[str, Unit, str, float], ...] = (
        ("boms", "count", "BOMs in the portfolio", float(len(outcomes))),
        (
            "qualifying_before",
            "count",
            "BOMs qualifying under the rules in force",
            float(sum(o.before.qualifies for o in outcomes)),
        ),
        (
            "qualifying_after",
            "count",
            "BOMs qualifying under the changed rules",
            float(sum(o.qualifies for o in outcomes)),
        ),
        ("lose", "count", "BOMs that stop qualifying", float(len(lost))),
        ("gain", "count", "BOMs that start qualifying", float(len(gained))),
        (
            "value_losing",
            "USD",
            "annual value of the BOMs that stop qualifying",
            sum(o.holding.annual_value for o in lost),
        ),
        ("duty_change", "USD", "annual duty change of the portfolio", sum(o.duty_change for o in outcomes)),
        (
            "with_fix",
            "count",
            "BOMs that stop qualifying with a sourcing fix found",
            float(sum(1 for o in lost if o.fix.startswith("source"))),
        ),
    )
    subject = (("portfolio", "all"),)
    figures = tuple(_figure(v, unit, label, period, prov, subject) for _, unit, label, v in values)
    return FigureTable(
        "Portfolio totals", ("portfolio",), tuple(n for n, *_ in values), (FigureRow(("all",), figures),), prov
    )


def _boms(outcomes: list[Outcome], top: int, period: Period, prov: Provenance) -> FigureTable:
    flipped = sorted(
        (o for o in outcomes if o.flipped), key=lambda o: -abs(o.duty_change) - o.holding.annual_value * 1e-9
    )
    shown = flipped if top == 0 else flipped[:top]
    rows = []
    for o in shown:
        key = (o.holding.bom.source, o.holding.bom.good.hs, o.fix or o.duty_note)
        subject = (("bom", o.holding.bom.source),)
        values = (
            float(o.before.qualifies),
            float(o.qualifies),
            o.margin_before,
            o.margin_after,
            o.holding.annual_value,
            o.duty_change,
        )
        figures = tuple(
            None if v is None else _figure(float(v), unit, f"{o.holding.bom.source}: {label}", period, prov, subject)
            for v, (_, unit, label) in zip(values, BOM_MEASURES, strict=True)
        )
        rows.append(FigureRow(key, figures))
    title = f"BOMs whose answer changes ({len(shown):,} of {len(flipped):,}, largest duty change first)"
    return FigureTable(title, ("bom", "hs", "cheapest_fix"), tuple(m for m, *_ in BOM_MEASURES), tuple(rows), prov)


def _assumptions(change: RuleChange, request: RulesRequest, on: dt.date, duty_on: dt.date) -> tuple[Assumption, ...]:
    items = [
        Assumption(
            "portfolio", str(request.portfolio), "the BOMs, their annual volumes and unit values (USD)", "option"
        ),
        Assumption(
            "changes",
            change.name,
            change.describe(),
            change.source + (f" (sha256 {change.checksum[:12]})" if change.checksum else ""),
        ),
        Assumption(
            "date",
            on.isoformat(),
            "date of the determinations (the changes apply from it)",
            "option --date" if request.on else "change file or today",
        ),
        Assumption(
            "duty_date",
            duty_on.isoformat(),
            "date of the tariff engine's rates",
            "option --duty-date" if request.duty_date else "the determination date",
        ),
        Assumption(
            "thresholds",
            change.thresholds.source,
            "the origin engine's thresholds, changed as the file says",
            "nearshore.origin.thresholds",
        ),
        Assumption(
            "duty",
            "annual value x (rate after - rate before)",
            "rates with a USMCA claim when the good qualifies, without when not; ad valorem equivalents on the HTS line",
            "nearshore.tariffs",
        ),
        Assumption(
            "cheapest_fix",
            "smallest material value",
            "the origin what-if's first material (smallest value) whose sourcing as originating restores qualification, else a sufficient set",
            "nearshore.origin.whatif",
        ),
    ]
    items += [Assumption(f"change_{k}", text, "rule change", change.source) for k, text in enumerate(change.texts, 1)]
    return tuple(items)


__all__ = ["ENGINE", "Outcome", "report"]
