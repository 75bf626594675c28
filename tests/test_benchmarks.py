"""Every benchmark script keeps the house's contract: it takes --help, and its docstring says what is inside
and outside the timed part and what baseline it measures against in the same run."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted(p for p in (ROOT / "benchmarks").glob("*.py") if p.stem not in ("__init__", "synthetic"))


def test_there_are_benchmarks() -> None:
    assert len(SCRIPTS) >= 10


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_a_benchmark_says_what_it_times_and_against_what(script: Path) -> None:
    doc = (ast.get_docstring(ast.parse(script.read_text(encoding="utf-8"))) or "").lower()
    assert "inside" in doc, f"{script.name}: say what is inside the timing"
    assert "outside" in doc, f"{script.name}: say what is outside the timing"
    assert "baseline" in doc, f"{script.name}: name the baseline measured in the same run"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_a_benchmark_takes_help_without_running(script: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{script.stem}", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.startswith("usage:"), done.stdout[:200]
