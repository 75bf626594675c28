"""tests/ mirrors the package: a test module sits in the folder of the package folder it tests
(tests/data/sources for nearshore/data/sources, tests/writer for nearshore/writer), and is named after the
behaviour it checks, not after how the defect was found (no test_issue10.py, no test_qa_fixes.py)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOUND_BY = re.compile(r"test_(.*_)?(issue_?\d+|qa|fixes|bugfixes|regressions?|bugs?|misc)(_.*)?\.py")


def package_folders(package: Path) -> set[Path]:
    """The folders of the package that hold Python modules, relative to it ('.' for the package itself)."""
    return {path.parent.relative_to(package) for path in package.rglob("*.py") if "__pycache__" not in path.parts}


def misplaced(tests: Path, package: Path) -> list[str]:
    """Each test module in a folder that mirrors no package folder, and each named after how it was found."""
    folders = package_folders(package)
    problems = []
    for module in sorted(tests.rglob("test_*.py")):
        where = module.parent.relative_to(tests)
        if where not in folders:
            problems.append(f"{module.relative_to(tests)}: no folder {package.name}/{where} to mirror")
        if FOUND_BY.fullmatch(module.name):
            problems.append(f"{module.relative_to(tests)}: named after how it was found, not what it checks")
    return problems


def test_every_test_module_mirrors_a_package_folder() -> None:
    assert misplaced(ROOT / "tests", ROOT / "nearshore") == []


def test_the_check_finds_a_folder_the_package_lacks_and_a_name_that_tells_a_story(tmp_path: Path) -> None:
    package, tests = tmp_path / "pkg", tmp_path / "tests"
    for path in (
        package / "__init__.py",
        package / "data" / "sources" / "census.py",
        tests / "test_top.py",
        tests / "data" / "sources" / "test_census.py",
        tests / "data" / "sources" / "golden.json",
        tests / "data_sources" / "test_census.py",
        tests / "brief" / "test_output.py",
        tests / "data" / "test_issue10.py",
        tests / "data" / "sources" / "test_qa_fixes.py",
        tests / "data" / "sources" / "test_census_issue10.py",
        tests / "data" / "sources" / "test_prefixes.py",
    ):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    assert misplaced(tests, package) == [
        "brief/test_output.py: no folder pkg/brief to mirror",
        "data/sources/test_census_issue10.py: named after how it was found, not what it checks",
        "data/sources/test_qa_fixes.py: named after how it was found, not what it checks",
        "data/test_issue10.py: no folder pkg/data to mirror",
        "data/test_issue10.py: named after how it was found, not what it checks",
        "data_sources/test_census.py: no folder pkg/data_sources to mirror",
    ]
