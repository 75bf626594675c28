"""One brief per topic, written once per test session by the real CLI on the embedded snapshot in an
isolated store (a private data dir and DuckDB file)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from nearshore.cli.main import app
from nearshore.data.store import Store

runner = CliRunner()


@dataclass(frozen=True)
class Written:
    out: Path
    name: str
    db: Path
    output: str

    def path(self, suffix: str) -> Path:
        return self.out / f"{self.name}{suffix}"

    def facts(self) -> dict[str, dict[str, Any]]:
        payload = json.loads(self.path(".facts.json").read_text(encoding="utf-8"))
        return {f["id"]: f for f in payload["facts"]}


def isolated(monkeypatch: pytest.MonkeyPatch, root: Path) -> Path:
    monkeypatch.setenv("NEARSHORE_DATA_DIR", str(root))
    monkeypatch.setenv("NEARSHORE_DB", str(root / "store.duckdb"))
    for name in ("NEARSHORE_LLM_BASE_URL", "NEARSHORE_LLM_MODEL", "NEARSHORE_LLM_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return root / "store.duckdb"


def write(root: Path, *args: str) -> Written:
    with pytest.MonkeyPatch.context() as mp:
        db = isolated(mp, root)
        out = root / "out"
        result = runner.invoke(app, ["brief", "--out", str(out), "--quiet", *args])
    assert result.exit_code == 0, result.output
    names = sorted(p.name.removesuffix(".facts.json") for p in out.glob("*.facts.json"))
    assert len(names) == 1, names
    return Written(out, names[0], db, result.output)


@pytest.fixture(scope="session")
def mexico(tmp_path_factory: pytest.TempPathFactory) -> Written:
    """`nearshore brief --format html,md --format pdf` (the default topic and year) in a fresh store."""
    return write(tmp_path_factory.mktemp("mexico"), "--format", "html,md", "--format", "pdf")


@pytest.fixture(scope="session")
def canada(tmp_path_factory: pytest.TempPathFactory) -> Written:
    return write(tmp_path_factory.mktemp("canada"), "--topic", "us-canada", "--format", "md")


@pytest.fixture(scope="session")
def north_america(tmp_path_factory: pytest.TempPathFactory) -> Written:
    return write(tmp_path_factory.mktemp("na"), "--topic", "north-america", "--format", "md")


def open_written(written: Written) -> Iterator[Store]:
    """The store file a brief was written from, read-only, for recomputing its figures."""
    with Store(written.db, read_only=True) as store:
        yield store
