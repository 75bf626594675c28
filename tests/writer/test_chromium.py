"""The HTML brief opened in real headless Chromium (Debian's `chromium`): it loads, screenshots, and logs no
console messages. A control page with a script error proves the console check can fail."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from .brief_fixture import render

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (apt-get install -y chromium)"),
]


def open_in_chromium(page: Path, tmp: Path) -> tuple[Path, list[str]]:
    shot = tmp / f"{page.stem}.png"
    result = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp / ('profile-' + page.stem)}",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1000,2600",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    return shot, console


def test_brief_opens_in_chromium_without_console_errors(tmp_path):
    files, _ = render(tmp_path / "brief", ("html",))
    shot, console = open_in_chromium(files.paths["html"], tmp_path)
    assert console == []
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 50_000  # a blank page is a few kB; the brief with three charts is far more


def test_console_errors_are_detected(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><body><p>x</p><script>missingFunction();</script></body></html>")
    _, console = open_in_chromium(page, tmp_path)
    assert any("Uncaught ReferenceError: missingFunction is not defined" in line for line in console)
