"""Fuzzing every file source (issue 10): mutated seed files either load with finite figures or are refused with a
located message and exit code 2-6, and a refused load leaves the store file byte for byte as it was.

A fixed budget (BUDGET examples per seed file, derandomised so every run tries the same inputs) keeps this to a
few seconds per source; `python scripts/fuzz_sources.py` runs the long campaigns (docs/reliability.md).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nearshore.data.store import Store
from tests.data.sources.fuzzing import KINDS, NASTY, Edit, Seed, attempt, digest, seeded_store, seeds

BUDGET = 60
# No load of these small files may take longer (the worst seen is well under a second).
DEADLINE = timedelta(seconds=20)

EDITS = st.builds(
    Edit,
    kind=st.sampled_from(KINDS),
    at=st.floats(min_value=0, max_value=1, exclude_max=True),
    other=st.floats(min_value=0, max_value=1, exclude_max=True),
    text=st.sampled_from(NASTY) | st.text(max_size=6),
)
SEEDS = seeds()


@pytest.mark.parametrize("seed", SEEDS, ids=[s.id for s in SEEDS])
def test_every_seed_file_loads_as_it_is(seed: Seed, tmp_path: Path) -> None:
    """The oracle's baseline: the unmutated seed loads (again) without a problem."""
    store_path = seeded_store(tmp_path, seed)
    outcome = attempt(seed, seed.file(), tmp_path, store_path)
    assert outcome.result == "loaded", outcome.message


@pytest.mark.parametrize("seed", SEEDS, ids=[s.id for s in SEEDS])
def test_mutated_files_are_loaded_or_refused_cleanly(seed: Seed, tmp_path: Path) -> None:
    store_path = seeded_store(tmp_path, seed)
    results: list[str] = []
    store = Store(store_path)  # one connection for every example; the digest covers its write-ahead log

    @settings(
        max_examples=BUDGET,
        deadline=DEADLINE,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.lists(EDITS, min_size=1, max_size=3))
    def check(edits: list[Edit]) -> None:
        outcome = attempt(seed, seed.file(edits), tmp_path, store_path, store)
        results.append(outcome.result)
        assert outcome.result in ("loaded", "refused"), outcome.message

    try:
        check()
    finally:
        store.close()
    assert "refused" in results  # the budget reaches the checks, not only harmless edits


def test_a_refused_load_leaves_the_store_file_unchanged(tmp_path: Path) -> None:
    """The byte-for-byte check itself, on a store that already holds a load: a refused file changes nothing."""
    seed = next(s for s in SEEDS if s.source == "census-country")
    store_path = seeded_store(tmp_path, seed)
    before = digest(store_path)
    broken = seed.file([Edit("duplicate_line", 0.5)])
    outcome = attempt(seed, broken, tmp_path, store_path)
    assert outcome.result == "refused"
    assert "duplicate row" in outcome.message
    assert digest(store_path) == before
