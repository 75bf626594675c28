"""The origin engine's import graph: every module imports first on its own (no import cycle hidden by the order
in which the package used to import them), and `origin batch` on a portfolio file imports only what it uses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nearshore.origin

PACKAGE = Path(nearshore.origin.__file__).parent

EACH_FIRST = """
import importlib, sys
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m.startswith("nearshore")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except ImportError as exc:
        failed.append(f"{name}: {exc}")
print("\\n".join(failed))
"""


def _modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_every_origin_module_imports_first_on_its_own() -> None:
    modules = _modules()
    assert "nearshore.origin.general" in modules
    assert "nearshore.origin.automotive.vehicle" in modules
    run = subprocess.run([sys.executable, "-c", EACH_FIRST, *modules], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == ""


def test_the_public_names_resolve_on_first_use() -> None:
    import nearshore.origin.automotive as automotive

    for package in (nearshore.origin, automotive):
        for name in package.__all__:
            assert getattr(package, name) is not None, name
        assert set(package.__all__) <= set(dir(package))


def test_origin_batch_on_a_portfolio_file_leaves_pydantic_the_file_readers_and_the_what_if_unimported(
    tmp_path: Path,
) -> None:
    good = {"hs": "8708.99", "country": "MX", "transaction_value": 100}
    bom = {"id": "a", "good": good, "materials": [{"hs": "7318.15", "origin": "CN", "value": 5}]}
    (tmp_path / "boms.jsonl").write_text(json.dumps(bom) + "\n", encoding="utf-8")
    env = {**os.environ, "NEARSHORE_DATA_DIR": str(tmp_path), "NEARSHORE_DB": str(tmp_path / "none.duckdb")}
    argv = ["origin", "batch", str(tmp_path / "boms.jsonl"), "--date", "2026-07-01", "--format", "csv"]
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "nearshore", *argv], env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-500:]
    assert run.stdout.splitlines()[1].startswith("a,8708.99,")
    imported = {line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines()}
    modules = ("pydantic", "yaml", "nearshore.origin.bom_io", "nearshore.origin.whatif", "nearshore.origin.certificate")
    for module in modules:
        assert module not in imported, module
    assert "nearshore.origin.determine" in imported


def test_determine_is_the_function_after_its_module_is_imported() -> None:
    code = "import nearshore.origin.determine, nearshore.origin.bom\nfrom nearshore.origin import determine\n"
    code += "print(callable(determine), determine.__module__)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["True", "nearshore.origin.determine"]
