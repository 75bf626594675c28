"""The brief's tariff-event section is dated by the event in events.yaml (not by a year written in the code): a
brief for a year before the event leaves it out and says why; a brief for the event's year includes it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from nearshore.analytics.events import get_event
from nearshore.data.snapshot import seed_from_snapshot
from nearshore.data.store import Store
from nearshore.writer import brief_facts
from nearshore.writer.compose import compose_brief


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with Store() as s:
        assert seed_from_snapshot(s)
        yield s


def test_event_falls_after_the_brief_year(store: Store) -> None:
    event = get_event(brief_facts.TARIFF_EVENT)
    assert (event.date.year, event.date.month) == (2025, 3)  # events.yaml: EO 14193/14194 in effect March 4, 2025
    composition = compose_brief(store, "us-mexico", year=2024)
    assert "event_change" not in composition.roles
    assert "event_change left out: the March 2025 tariffs fall after the brief's year 2024" in composition.missing


def test_event_in_the_brief_year_is_included(store: Store) -> None:
    composition = compose_brief(store, "us-mexico", year=2025)
    assert "event_change" in composition.roles
