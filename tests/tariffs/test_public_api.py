"""nearshore.tariffs declares its public names once, sorted, and every one exists."""

from __future__ import annotations

import nearshore.tariffs as tariffs


def test_public_names_exported_and_sorted():
    assert tariffs.__all__ == sorted(tariffs.__all__)
    for name in tariffs.__all__:
        assert getattr(tariffs, name) is not None, name
    for name in ("calculate", "load_schedule", "load_policy", "build_panel", "duty_vectorised", "effective_rate"):
        assert name in tariffs.__all__
