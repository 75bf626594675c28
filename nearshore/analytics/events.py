"""Tariff-event windows: the change in a flow between the months from a policy date and the same months a
year earlier (seasonally fair), e.g. two-way U.S. trade with Canada and Mexico, March-December 2025 vs
March-December 2024. Events are dated and cited in `events.yaml`."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from nearshore.analytics import series as q
from nearshore.analytics.growth import change_figures
from nearshore.analytics.result import FigureRow, FigureTable, Period, Provenance
from nearshore.analytics.values import Total, latest_month, span_total
from nearshore.errors import InputError

if TYPE_CHECKING:
    from nearshore.data.query.engine import Reader


@dataclass(frozen=True)
class Event:
    """A dated tariff action: id, date, kind ('announced'/'effective'), partners targeted, title, measure
    and citation (executive order or proclamation and its Federal Register entry)."""

    id: str
    date: dt.date
    kind: str
    partners: tuple[str, ...]
    title: str
    measure: str
    citation: str


@functools.cache
def all_events() -> tuple[Event, ...]:
    """The events shipped in nearshore/analytics/events.yaml, in date order."""
    import yaml

    text = resources.files("nearshore.analytics").joinpath("events.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    events = [
        Event(
            e["id"],
            e["date"],
            e["kind"],
            tuple(e["partners"]),
            e["title"],
            e["measure"],
            " ".join(str(e["citation"]).split()),
        )
        for e in data["events"]
    ]
    return tuple(sorted(events, key=lambda e: (e.date, e.id)))


def get_event(event_id: str) -> Event:
    for event in all_events():
        if event.id == event_id:
            return event
    raise InputError(f"event {event_id!r} is not one of: {', '.join(e.id for e in all_events())}")


def _sum(parts: list[Total]) -> Total:
    return Total(sum(p.value for p in parts), parts[0].provenance.merge(*(p.provenance for p in parts[1:])))


def event_window(
    store: Reader,
    event: str,
    *,
    partners: tuple[str, ...] = ("CAN", "MEX"),
    flow: str = "total",
    end: tuple[int, int] | None = None,
    as_of: str | None = None,
) -> FigureTable:
    """The flow with each partner (and all of them together) from the event's month to `end` (default: the
    last month held in the event's year), against the same months a year earlier.

    `event` is an id from events.yaml or a date 'YYYY-MM-DD'. The window starts in the month of the date.
    """
    q.check_flow(flow)
    found, date = _event_date(event)
    if not partners:
        raise InputError("give at least one partner (e.g. --partner CAN --partner MEX)")
    ids = tuple(q.partner(p).id for p in partners)
    start = (date.year, date.month)
    if end is None:
        end = (date.year, min(latest_month(store, flow, (pid,), date.year, as_of=as_of) for pid in ids))
    if (end[0], end[1]) < start:
        raise InputError(f"the window end {end[0]}-{end[1]:02d} is before the event month {start[0]}-{start[1]:02d}")
    before = ((start[0] - 1, start[1]), (end[0] - 1, end[1]))
    window = Period.span(start[0], start[1], end[0], end[1])
    base = Period.span(before[0][0], before[0][1], before[1][0], before[1][1])
    words = q.FLOW_WORDS[flow]
    rows = []
    provs = []
    for key, group, (now, then) in _group_totals(store, flow, ids, (start, end), before, as_of):
        row, prov = _row(key, group, now, then, found, flow, window, base)
        rows.append(row)
        provs.append(prov)
    title = f"{words}, {window.words} vs {base.words}" + (f" (from {found.title})" if found else "")
    return FigureTable(
        title,
        ("partners",),
        ("window", "year_earlier", "change", "change_pct"),
        tuple(rows),
        provs[0].merge(*provs[1:]),
    )


def _event_date(event: str) -> tuple[Event | None, dt.date]:
    """The event named by id (and its date), or no event and the date 'YYYY-MM-DD' given."""
    found: Event | None = next((e for e in all_events() if e.id == event), None)
    if found is not None:
        return found, found.date
    try:
        return None, dt.date.fromisoformat(event)
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", event):
            raise InputError(
                f"event date {event!r} is not a calendar date: give a real day, YYYY-MM-DD (e.g. 2025-03-04)"
            ) from None
        known = ", ".join(e.id for e in all_events())
        raise InputError(f"event {event!r} is neither an event id ({known}) nor a date YYYY-MM-DD") from None


_Months = tuple[tuple[int, int], tuple[int, int]]


def _group_totals(
    store: Reader, flow: str, ids: tuple[str, ...], window: _Months, before: _Months, as_of: str | None
) -> list[tuple[str, tuple[str, ...], tuple[Total, Total]]]:
    """(key, partners, (window total, year-earlier total)) for each partner, then for all of them together."""
    groups = [(pid, (pid,)) for pid in ids] + ([("+".join(ids), ids)] if len(ids) > 1 else [])
    totals: dict[str, tuple[Total, Total]] = {}
    for key, group in groups:
        if len(group) == 1:
            totals[key] = (
                span_total(store, flow, group, window[0], window[1], as_of=as_of),
                span_total(store, flow, group, before[0], before[1], as_of=as_of),
            )
        else:  # the partners together: the sum of their own totals, read above
            parts = [totals[pid] for pid in group]
            totals[key] = (_sum([p[0] for p in parts]), _sum([p[1] for p in parts]))
    return [(key, group, totals[key]) for key, group in groups]


def _row(
    key: str,
    group: tuple[str, ...],
    now: Total,
    then: Total,
    found: Event | None,
    flow: str,
    window: Period,
    base: Period,
) -> tuple[FigureRow, Provenance]:
    """One group's window vs year-earlier figures, and their provenance (with the event's citation)."""
    words = q.FLOW_WORDS[flow]
    prov = now.provenance.merge(then.provenance)
    if found:
        prov = prov.with_note(f"event {found.id} ({found.date}, {found.kind}): {found.title}; {found.citation}")
    names = " and ".join(q.partner(p).name for p in group)
    label = f"{words} with {names}" if flow == "total" else f"{words} {'from' if flow == 'imports' else 'to'} {names}"
    subject = (("partners", key), ("flow", flow))
    row = FigureRow((key,), change_figures(label, now, then, window, base, window, prov, subject, f"change in {label}"))
    return row, prov


__all__ = ["Event", "all_events", "event_window", "get_event"]
