"""nearshore.delivery declares its public API once, sorted, and every name in it exists."""

from __future__ import annotations

import nearshore.delivery as delivery


def test_all_is_sorted_and_complete() -> None:
    assert delivery.__all__ == sorted(delivery.__all__)
    missing = [name for name in delivery.__all__ if not hasattr(delivery, name)]
    assert missing == []
