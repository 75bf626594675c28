"""Fuzzing bills of materials (issue 10): mutated example BOMs (YAML, JSON, CSV) are either checked, with a
report whose JSON is finite, or refused with a located message and exit code 2-6; never a traceback, and never
slower than the deadline. A fixed budget (derandomised: every run tries the same inputs) keeps this to seconds;
`python scripts/fuzz_inputs.py` runs the long campaigns, in worker processes that also bound memory."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.origin.bom_fuzzing import KINDS, NASTY, BomEdit, BomSeed, check_outcome, engine, seeds

BUDGET = 25
DEADLINE = timedelta(seconds=15)
SEEDS = seeds()
EDITS = st.builds(
    BomEdit,
    kind=st.sampled_from(KINDS),
    at=st.floats(min_value=0, max_value=1, exclude_max=True),
    other=st.floats(min_value=0, max_value=1, exclude_max=True),
    text=st.sampled_from(NASTY) | st.text(max_size=8),
)


@pytest.fixture(scope="module")
def calculator():
    return engine()


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name for s in SEEDS])
def test_every_seed_bom_is_checked_as_it_is(seed: BomSeed, tmp_path: Path, calculator) -> None:
    path = tmp_path / seed.name
    path.write_bytes(seed.file())
    outcome = check_outcome(path, calculator)
    assert outcome.result == "loaded", outcome.message


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name for s in SEEDS])
def test_mutated_boms_are_checked_or_refused_cleanly(seed: BomSeed, tmp_path: Path, calculator) -> None:
    results: list[str] = []

    @settings(
        max_examples=BUDGET,
        deadline=DEADLINE,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(EDITS, min_size=1, max_size=3))
    def check(edits: list[BomEdit]) -> None:
        path = tmp_path / seed.name
        path.write_bytes(seed.file(edits))
        outcome = check_outcome(path, calculator)
        results.append(outcome.result)
        assert outcome.result in ("loaded", "refused"), outcome.message

    check()
    assert "refused" in results  # the budget reaches the checks, not only harmless edits
