"""The dashboard's charts: each one's figures come from a `stats` service (the same call as the API and the
command line), its drawing from the shared chart definitions (nearshore.charts), its text alternative from the
same figures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from nearshore import charts
from nearshore.api.worker import Worker
from nearshore.errors import NearshoreError
from nearshore.services import REGISTRY, DutyRateRequest, InfoRequest, ShareRequest, UtilisationRequest
from nearshore.services.base import Column, Result, columns
from nearshore.services.envelope import error_body
from nearshore.services.plain import plain

PARTNERS = (
    ("MEX", "Mexico"),
    ("CAN", "Canada"),
    ("CHN", "China"),
    ("DEU", "Germany"),
    ("JPN", "Japan"),
    ("KOR", "South Korea"),
    ("VNM", "Vietnam"),
    ("TWN", "Taiwan"),
    ("IND", "India"),
)
NAMES = dict(PARTNERS)
USMCA_PARTNERS = PARTNERS[:2]


@dataclass(frozen=True)
class Shown:
    """One chart as the page shows it: its spec, text alternative and figures, or the error in their place."""

    id: str
    spec: dict[str, Any] = field(default_factory=dict)
    alt: str = ""
    result: Result[Any] | None = None
    error: dict[str, Any] | None = None

    @property
    def spec_json(self) -> str:
        return charts.spec_json(self.spec)


def _guarded(chart_id: str, build: Callable[[], Shown]) -> Shown:
    try:
        return build()
    except NearshoreError as exc:
        return Shown(chart_id, error=error_body(exc))


def years(worker: Worker, source: str, table: str = "trade_flows") -> list[int]:
    """The years the store holds for a source (newest last), from `data info`."""
    try:
        info = worker.run(REGISTRY["data.info"], InfoRequest())
    except NearshoreError:
        return []
    for entry in plain(info.payload)["sources"]:
        if entry["source"] == source and entry["table"] == table and entry.get("years"):
            first, last = entry["years"]
            return list(range(int(first), int(last) + 1))
    return []


def _source(result: Result[Any]) -> str:
    """The result's first note without its 'source: ' label (the chart's subtitle says 'Source:')."""
    return result.notes[0].removeprefix("source: ") if result.notes else ""


def shares(worker: Worker, partners: Sequence[str], start: int, end: int) -> Shown:
    """Each chosen partner's share of U.S. imports by year, start to end."""

    def build() -> Shown:
        series, rows, note = [], [], ""
        for code in partners:
            result = worker.run(REGISTRY["stats.share"], ShareRequest(partner=code))
            points = [(str(r[1]), float(r[4])) for r in result.rows if start <= int(r[1]) <= end]
            series.append((NAMES.get(code, code), points))
            rows += [(NAMES.get(code, code), x, v) for x, v in points]
            note = note or _source(result)
        text = charts.alt.lines("shares of U.S. goods imports by partner", series)
        title = f"Share of U.S. goods imports, {start}-{end}"
        spec = charts.spec("lines", title, text, series, source=note, responsive=True)
        table = Result(title, (*columns("partner", "year"), Column("share", "%", 2)), tuple(rows), None, (note,))
        return Shown("shares", spec, text, table)

    return _guarded("shares", build)


def usmca(worker: Worker, partner: str, year: int) -> Shown:
    """The share of U.S. imports from Mexico or Canada claimed under USMCA, by month of one year."""

    def build() -> Shown:
        request = UtilisationRequest(partner=partner, year=year, by="month")
        result = worker.run(REGISTRY["stats.utilisation"], request)
        points = [(f"{year}-{r[0]}", float(r[-1])) for r in result.rows]
        name = NAMES.get(partner, partner)
        text = charts.alt.monthly(f"the USMCA-claimed share of U.S. imports from {name}, {year}", points)
        title = f"USMCA-claimed share of U.S. imports from {name}, {year}"
        spec = charts.spec("monthly", title, text, [(name, points)], source=_source(result), responsive=True)
        return Shown("usmca", spec, text, result)

    return _guarded("usmca", build)


def duties(worker: Worker, year: int) -> Shown:
    """Duty collected on U.S. imports from each partner with duty data, in one year."""

    def build() -> Shown:
        result = worker.run(REGISTRY["stats.duty-rate"], DutyRateRequest(year=year))
        points = [(NAMES.get(str(r[0]), str(r[0])), float(r[2]) / 1000) for r in result.rows]
        text = charts.alt.bars(f"duty collected on U.S. imports by partner, {year}", points, "$B")
        title = f"Duty collected on U.S. imports by partner, {year}"
        spec = charts.spec(
            "bars",
            title,
            text,
            [("duty", points)],
            y_label="duty collected",
            unit="$B",
            source=_source(result),
            responsive=True,
        )
        return Shown("duties", spec, text, result)

    return _guarded("duties", build)


__all__ = ["NAMES", "PARTNERS", "USMCA_PARTNERS", "Shown", "duties", "shares", "usmca", "years"]
