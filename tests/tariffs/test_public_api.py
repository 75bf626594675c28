from __future__ import annotations

import nearshore.tariffs as tariffs


def test_public_names_exported_and_sorted():
    assert tariffs.__all__ == sorted(tariffs.__all__)
    for name in tariffs.__all__:
        assert getattr(tariffs, name) is not None, name
    for name in ("calculate", "load_schedule", "load_policy", "build_panel", "duty_vectorised", "effective_rate"):
        assert name in tariffs.__all__


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
