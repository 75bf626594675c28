"""The public API is declared once and checked both ways: every name in `__all__` exists, every name a
package binds for re-export is in its `__all__`, and the package exports every error of the hierarchy and its
entry points. The version is written once."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
import tomllib
import types
from pathlib import Path

import pytest

import nearshore
import nearshore.errors

ROOT = Path(__file__).resolve().parent.parent
TYPING_NAMES = ("annotations", "TYPE_CHECKING", "Any")  # from __future__ and typing, for the package's own code
PACKAGES = (
    "nearshore",
    "nearshore.analytics",
    "nearshore.data.fetch",
    "nearshore.data.reference",
    "nearshore.origin",
    "nearshore.origin.automotive",
    "nearshore.origin.rules",
    "nearshore.services",
    "nearshore.tariffs",
    "nearshore.writer",
)


@pytest.mark.parametrize("name", PACKAGES)
def test_every_declared_name_exists(name: str) -> None:
    package = importlib.import_module(name)
    assert len(set(package.__all__)) == len(package.__all__)
    for exported in package.__all__:
        assert getattr(package, exported) is not None, f"{name}.{exported}"


@pytest.mark.parametrize("name", PACKAGES)
def test_every_bound_name_is_declared(name: str) -> None:
    package = importlib.import_module(name)
    bound = {
        key
        for key, value in vars(package).items()
        if not key.startswith("_") and not isinstance(value, types.ModuleType) and key not in TYPING_NAMES
    }
    assert sorted(bound - set(package.__all__)) == []


def test_the_package_exports_every_error_and_its_entry_points() -> None:
    errors = {
        name
        for name, value in vars(nearshore.errors).items()
        if inspect.isclass(value) and value.__module__ == "nearshore.errors"
    }
    assert sorted(errors - set(nearshore.__all__)) == []
    for name in ("InvalidBOM", "NoRuleError", "NotOriginating", "OriginError", "RuleFileError"):
        assert getattr(nearshore, name) is getattr(nearshore.errors, name)
    from nearshore.data.store import Store
    from nearshore.origin.determine import determine
    from nearshore.tariffs.duty import calculate
    from nearshore.writer.compose import run_brief

    for entry in (Store, determine, calculate, run_brief):
        assert entry.__name__ in nearshore.__all__
        assert getattr(nearshore, entry.__name__) is entry
    assert nearshore.__all__ == sorted(nearshore.__all__)


def test_heavy_entry_points_are_imported_on_first_use() -> None:
    code = (
        "import sys, nearshore; assert 'duckdb' not in sys.modules; "
        "nearshore.Store; assert 'duckdb' in sys.modules; print(sorted(set(nearshore.__all__) - set(dir(nearshore))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"


def test_the_version_is_written_once() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "nearshore._version.__version__"}
    from importlib.metadata import version

    assert version("nearshore") == nearshore.__version__
