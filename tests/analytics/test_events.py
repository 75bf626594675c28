from __future__ import annotations

import datetime as dt
import re

import pytest

from nearshore.analytics.events import all_events, event_window, get_event
from nearshore.errors import InputError
from tests.analytics.golden import new_country_rows

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def test_events_file_is_dated_and_cited():
    events = all_events()
    assert len(events) >= 8
    assert [e.date for e in events] == sorted(e.date for e in events)
    for event in events:
        assert event.kind in ("announced", "effective")
        assert re.search(r"(Executive Order|Proclamation|EO) \d{4,5}", event.citation), event.id
    assert get_event("usmca-exemption").date == dt.date(2025, 3, 7)
    assert get_event("canada-35").date == dt.date(2025, 8, 1)


def test_unknown_event_lists_the_known_ones(store):
    message = r"event 'liberation' is neither an event id \(ieepa-ca-mx-announced, "
    with pytest.raises(InputError, match=message):
        event_window(store, "liberation")


def test_impossible_event_date_is_named_as_such(store):
    with pytest.raises(InputError) as info:
        event_window(store, "2025-02-30", partners=("MEX",))
    assert str(info.value) == (
        "event date '2025-02-30' is not a calendar date: give a real day, YYYY-MM-DD (e.g. 2025-03-04)"
    )


@pytest.mark.shared
def test_two_way_trade_with_canada_and_mexico_march_december(full_store, shared_raw):
    def two_way(year: int, codes: tuple[str, ...]) -> float:
        rows = new_country_rows(shared_raw, year)
        return sum(float(rows[c]["I" + m]) + float(rows[c]["E" + m]) for c in codes for m in MONTHS[2:]) * 1e6

    table = event_window(full_store, "ieepa-ca-mx-effective", partners=("CAN", "MEX"), flow="total")
    now, then = two_way(2025, ("CAN", "MEX")), two_way(2024, ("CAN", "MEX"))
    both = table.figure("change_pct", partners="CAN+MEX")
    assert both.value == pytest.approx(100 * (now - then) / then, rel=1e-9)
    assert both.comparison == "Mar-Dec 2025 vs Mar-Dec 2024"
    assert any("EO 14197" in n for n in both.provenance.notes)
    assert table.figure("window", partners="CAN").value == pytest.approx(two_way(2025, ("CAN",)))
