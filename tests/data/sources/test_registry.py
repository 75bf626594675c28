"""Every file source is registered under its name with the same shape (NAME, TARGET, TITLE, parse, load)."""

from __future__ import annotations

import pytest

from nearshore.data.sources import SOURCES, get_source


@pytest.mark.parametrize("name", ["dataweb", "census-duties", "comtrade"])
def test_sources_are_registered_with_the_common_shape(name: str) -> None:
    assert name in SOURCES
    module = get_source(name)
    assert name == module.NAME
    assert module.TARGET == "trade_flows"
    assert module.TITLE
    assert callable(module.parse)
    assert callable(module.load)
