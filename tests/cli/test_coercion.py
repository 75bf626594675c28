"""The fast coercion of command-line values gives what Typer's own (pydantic) coercion gives, value for value and
error for error, and a command run with plain values does not import pydantic."""

from __future__ import annotations

import enum
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main
from typer._coercion import build_runtime_param
from typer.testing import CliRunner

from nearshore.cli.coercion import QuickParam, quicken


class Colour(enum.Enum):
    red = "red"
    blue = "blue"


app = typer.Typer()


@app.command()
def probe(
    text: str = typer.Option("x"),
    maybe: str | None = typer.Option(None),
    real: float = typer.Option(1.0),
    whole: int = typer.Option(2),
    ranged: float = typer.Option(5.0, min=0, max=10),
    flag: bool = typer.Option(False),
    tri: bool | None = typer.Option(None, "--tri/--no-tri"),
    many: list[str] = typer.Option([]),
    colour: Colour = typer.Option(Colour.red),
    where: Path = typer.Option(Path("x")),
    somewhere: Path | None = typer.Option(None),
    existing: Path = typer.Option(Path("."), exists=True),
    folder: Path = typer.Option(Path("."), file_okay=False),
    resolved: Path = typer.Option(Path("."), resolve_path=True),
) -> None:
    pass


VALUES: list[Any] = [
    None, "", "abc", "10000", "-3", "+7", "0", "007", "1.5", "-0.25", "1.", ".5", "1e4", "1E-2", "nan", "inf",
    " 12", "12 ", "1_000", "0x1f", "11", "10.5", "-0", "-0.0", "+0.0", "0.10", "123456789012345678901234567890",
    3, 2.5, True, False, Colour.blue, "red", "RED", "blue",
    ("a", "b"), ["c"], (), [], ("a", 1),
    "a/b", "/nonexistent/x.jsonl", " x", "~/x", "a\x00b", "-", ".", "tests", Path("q"), b"abc",
]  # fmt: skip


def outcome(runtime: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        got = runtime.coerce(value, param=param, ctx=ctx)
    except Exception as exc:  # the error a user would see
        return ("error", f"{type(exc).__name__}: {exc}")
    return ("value", (type(got), repr(got)))  # repr: nan equals nan


NAMES = ["text", "maybe", "real", "whole", "ranged", "flag", "tri", "many", "colour"]
PATHS = ["where", "somewhere", "existing", "folder", "resolved"]


@pytest.mark.parametrize("name", NAMES + PATHS)
def test_every_value_coerces_as_typer_coerces_it(name: str) -> None:
    command = typer.main.get_command(app)
    ctx = typer.Context(command)
    param = next(p for p in command.params if p.name == name)
    quick, typers = QuickParam(param.type_descriptor), build_runtime_param(param.type_descriptor)  # type: ignore[attr-defined]
    for value in VALUES:
        assert outcome(quick, value, param, ctx) == outcome(typers, value, param, ctx), value


def test_quicken_reaches_every_parameter_and_the_help_option() -> None:
    command: Any = typer.main.get_command(app)
    quicken(command, ["-h", "--help"])
    assert all(isinstance(p._runtime_param, QuickParam) for p in command.params)
    assert isinstance(command._help_option._runtime_param, QuickParam)
    assert CliRunner().invoke(app, ["--real", "abc"]).exit_code == 2


def test_a_command_with_plain_values_does_not_import_pydantic(tmp_path: Any) -> None:
    argv = ["tariff", "duty", "--hts", "8708.99.81", "--origin", "MX", "--value", "10000", "--date", "2025-06-01"]
    env = {**os.environ, "NEARSHORE_DATA_DIR": str(tmp_path), "NEARSHORE_DB": str(tmp_path / "none.duckdb")}
    for args in (argv, [*argv, "--format", "json", "--claim", "9903.82.03"], ["--help"], ["tariff", "duty", "-h"]):
        run = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "nearshore", *args], env=env, capture_output=True, text=True
        )
        assert "Invalid value" not in run.stderr, run.stderr[-500:]
        assert " pydantic" not in run.stderr, args


def test_every_brief_option_given_plainly_does_not_import_pydantic(tmp_path: Any) -> None:
    """Every option of `nearshore brief` (a year, a repeatable format, paths, text, a flag) takes the fast path;
    the request then stops at the unknown format, before any store is opened."""
    env = {**os.environ, "NEARSHORE_DATA_DIR": str(tmp_path), "NEARSHORE_DB": str(tmp_path / "none.duckdb")}
    options = ["--topic", "us-mexico", "--year", "2025", "--as-of", "2025-12", "--writer", "template", "--quiet"]
    paths = ["--out", str(tmp_path / "out"), "--quotes", str(tmp_path / "quotes.csv")]
    argv = ["brief", *options, *paths, "--format", "html,md", "-f", "docx"]
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "nearshore", *argv], env=env, capture_output=True, text=True
    )
    assert "error: brief format 'docx' is not one of: html, md, pdf" in run.stderr, run.stderr[-500:]
    assert run.returncode == 2
    assert " pydantic" not in run.stderr
    assert not (tmp_path / "none.duckdb").exists()


def test_path_defaults_take_the_fast_path(tmp_path: Any) -> None:
    """A path option left at its default (`brief --out`: Path("out")) is a Path already, not text."""
    env = {**os.environ, "NEARSHORE_DATA_DIR": str(tmp_path), "NEARSHORE_DB": str(tmp_path / "none.duckdb")}
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "nearshore", "brief", "-f", "docx"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2, run.stderr[-500:]
    assert " pydantic" not in run.stderr
