"""The scenarios packages declare their public names once, sorted, and every one exists."""

from __future__ import annotations

import pytest

import nearshore.scenarios
import nearshore.scenarios.gravity
import nearshore.scenarios.pe
import nearshore.scenarios.rules


@pytest.mark.parametrize(
    "module", [nearshore.scenarios, nearshore.scenarios.gravity, nearshore.scenarios.pe, nearshore.scenarios.rules]
)
def test_all_is_sorted_and_complete(module: object) -> None:
    names = module.__all__  # type: ignore[attr-defined]
    assert names == sorted(names)
    for name in names:
        assert hasattr(module, name), name
