"""The origin package declares its public names once and each one exists."""

from __future__ import annotations

import nearshore.origin as origin


def test_all_is_sorted_and_complete():
    assert len(set(origin.__all__)) == len(origin.__all__)  # order is checked by ruff (RUF022)
    for name in origin.__all__:
        assert hasattr(origin, name), name
    for name in ("determine", "load_bom", "check_bom", "what_if", "certify", "DutyCalculator"):
        assert name in origin.__all__
