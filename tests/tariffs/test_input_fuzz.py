"""Fuzzing tariff inputs (issue 10): any entry line gives a duty with finite figures or is refused with a
located message and exit code 2-6; any mutated entry file (CSV or JSON) is rated with finite totals or refused
the same way. Never a traceback. Fixed budgets (derandomised); `python scripts/fuzz_inputs.py` runs the long
campaigns."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nearshore.tariffs.duty import Entry
from nearshore.tariffs.policy import load_policy
from tests.data_sources.fuzzing import KINDS, NASTY, Edit
from tests.tariffs.input_fuzzing import (
    CELLS,
    HTS_TEXTS,
    LINES,
    NUMBERS,
    ORIGINS,
    PROGRAMS,
    EntrySeed,
    entry_outcome,
    entry_seeds,
    file_outcome,
    small_schedule,
)

DEADLINE = timedelta(seconds=10)


@pytest.fixture(scope="module")
def engine():
    return small_schedule(), load_policy()


def mostly(valid: st.SearchStrategy, nasty: st.SearchStrategy) -> st.SearchStrategy:
    """Valid three times in four, so that entries reach the rating, not only the first check."""
    return st.one_of(valid, valid, valid, nasty)


amounts = mostly(st.floats(0, 1e7), st.sampled_from(NUMBERS) | st.floats())
ENTRIES = st.builds(
    Entry,
    hts=mostly(st.sampled_from(LINES), st.sampled_from(HTS_TEXTS) | st.text(max_size=14)),
    origin=mostly(
        st.sampled_from(["MX", "CA", "CN", "VN", "DE", "Mexico"]), st.sampled_from(ORIGINS) | st.text(max_size=6)
    ),
    value=amounts,
    on=mostly(st.dates(dt.date(2025, 1, 1), dt.date(2026, 4, 29)), st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1))),
    quantity=st.none() | amounts,
    unit=st.sampled_from([None, "No.", "kg", "", "liters"]),
    usmca=st.booleans(),
    program=st.sampled_from(PROGRAMS),
    metal_value=st.none() | amounts,
    us_content=st.none() | amounts,
    auto_part=st.sampled_from([None, True, False]),
)


def test_the_seed_entries_are_rated(engine, tmp_path: Path) -> None:
    for seed in entry_seeds():
        path = tmp_path / seed.name
        path.write_bytes(seed.file())
        outcome = file_outcome(path, *engine)
        assert outcome.result == "loaded", outcome.message


def test_any_entry_line_is_rated_or_refused_cleanly(engine) -> None:
    results: list[str] = []

    @settings(max_examples=300, deadline=DEADLINE, derandomize=True, database=None)
    @given(ENTRIES)
    def check(entry: Entry) -> None:
        outcome = entry_outcome(entry, *engine)
        results.append(outcome.result)
        assert outcome.result in ("loaded", "refused"), outcome.message

    check()
    assert {"loaded", "refused"} <= set(results)


EDITS = st.builds(
    Edit,
    kind=st.sampled_from(KINDS),
    at=st.floats(min_value=0, max_value=1, exclude_max=True),
    other=st.floats(min_value=0, max_value=1, exclude_max=True),
    text=st.sampled_from((*NASTY, *CELLS)) | st.text(max_size=6),
)


@pytest.mark.parametrize("seed", entry_seeds(), ids=lambda s: s.name)
def test_mutated_entry_files_are_rated_or_refused_cleanly(seed: EntrySeed, engine, tmp_path: Path) -> None:
    results: list[str] = []

    @settings(
        max_examples=80,
        deadline=DEADLINE,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.lists(EDITS, min_size=1, max_size=3))
    def check(edits: list[Edit]) -> None:
        path = tmp_path / seed.name
        path.write_bytes(seed.file(edits))
        outcome = file_outcome(path, *engine)
        results.append(outcome.result)
        assert outcome.result in ("loaded", "refused"), outcome.message

    check()
    assert "refused" in results
