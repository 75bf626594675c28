"""The brief written from the embedded snapshot, opened in real headless Chromium: it loads, screenshots and
logs no console message. (`python scripts/screenshot_brief.py` does the same and keeps the PNG to look at.)"""

from __future__ import annotations

import pytest

from tests.writer.test_chromium import CHROMIUM, open_in_chromium

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (apt-get install -y chromium)"),
]


def test_snapshot_brief_opens_in_chromium_without_console_messages(mexico, tmp_path):
    shot, console = open_in_chromium(mexico.path(".html"), tmp_path)
    assert console == []
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 50_000
