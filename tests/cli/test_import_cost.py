"""The command line is light to start: a command module imports neither numpy nor duckdb at its top level."""

from __future__ import annotations


def test_cli_help_is_fast_to_import():
    import subprocess
    import sys
    import time

    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import nearshore.cli.tariff"], check=True)
    assert time.perf_counter() - started < 3.0  # the CLI module imports no numpy/duckdb at top level
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import nearshore.cli.tariff"],
        check=True,
        capture_output=True,
        text=True,
    ).stderr
    assert "numpy" not in out
    assert "duckdb" not in out
