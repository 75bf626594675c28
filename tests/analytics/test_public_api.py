from __future__ import annotations

import nearshore
import nearshore.analytics as analytics


def test_analytics_names_are_exported_from_the_package():
    for name in (
        "share",
        "top",
        "growth",
        "balance",
        "composition",
        "concentration",
        "utilisation",
        "unclaimed",
        "event_window",
        "duty_rate",
        "Figure",
        "FigureTable",
        "Period",
        "Provenance",
    ):
        assert name in nearshore.__all__, name
        assert getattr(nearshore, name) is getattr(analytics, name)
    assert nearshore.__all__ == sorted(nearshore.__all__)
    assert analytics.__all__ == sorted(analytics.__all__)
    for name in analytics.__all__:
        assert hasattr(analytics, name), name
