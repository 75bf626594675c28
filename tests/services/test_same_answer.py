"""One service per command, and the command line gives exactly the service's answer (the HTTP API will be held
to the same: the same request through both, the same result)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from nearshore.cli.main import app
from nearshore.services import (
    REGISTRY,
    DutyRequest,
    OriginCheckRequest,
    PathRequest,
    ShareRequest,
    envelope,
    open_context,
    origin,
    stats,
    tariffs,
)
from nearshore.services.base import Context, Result, Service
from tests.envelope import result_of

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _paths(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command path that runs something: leaf commands, and groups whose callback runs without one.
    `command` is a click command or group as Typer builds it (read by its attributes)."""
    if getattr(command, "invoke_without_command", False) and path:
        yield path
    context = typer.Context(command)
    for name in command.list_commands(context) if hasattr(command, "commands") else ():  # groups: built on use
        sub = command.get_command(context, name)
        if hasattr(sub, "commands"):
            yield from _paths(sub, (*path, name))
        else:
            yield (*path, name)


def test_every_command_is_one_registered_service() -> None:
    commands = {".".join(p) for p in _paths(typer.main.get_command(app))}
    assert commands == set(REGISTRY)


def test_services_that_change_things_say_so() -> None:
    writers = {name for name, s in REGISTRY.items() if s.writes}
    newsletter = {"bounces", "confirm", "erase", "errata", "import", "issue", "remove", "run", "send", "subscribe"}
    assert writers == {
        "archive.build",
        "brief",
        "data.export",
        "data.fetch.census",
        "data.fetch.comtrade",
        "data.gravity",
        "data.load",
        "data.seed",
        "data.snapshot.build",
        "data.tariff-panels",
        "llm.serve-local",
        *(f"newsletter.{name}" for name in newsletter | {"unsubscribe"}),
        "api-key.create",
        "api-key.revoke",
        "serve",
        "tariff.panel",
        "tariff.policy.build",
    }
    assert REGISTRY["tariff.schedule"].access(REGISTRY["tariff.schedule"].request(load=Path("x.csv"))) == "write"
    assert REGISTRY["tariff.schedule"].access(REGISTRY["tariff.schedule"].request()) == "read"
    # the trade store is opened read-only by every reader, the newsletter's included (its writes go to its own
    # database); only loading, fetching and an HTS load open it for writing
    assert {name for name, s in REGISTRY.items() if s.store == "write"} == {
        "data.fetch.census",
        "data.fetch.comtrade",
        "data.load",
    }
    assert {
        name for name in REGISTRY if name.startswith(("newsletter.", "archive.")) and REGISTRY[name].store == "read"
    } == {
        "archive.check",
        "newsletter.errata",
        "newsletter.issue",
        "newsletter.run",
    }
    estimate = REGISTRY["scenario.gravity.estimate"]
    assert estimate.access(estimate.request(data=Path("panel.csv"), x=("rta",))) == "none"
    assert estimate.access(estimate.request(covariates=Path("costs.csv"), x=("rta",))) == "read"


def _json(result: Result[Any]) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(json.dumps(envelope(result)))["result"]
    return document


def _same(args: list[str], service: Service[Any, Any], request: object) -> dict[str, Any]:
    cli = runner.invoke(app, [*args, "--format", "json"])
    assert cli.exit_code == 0, cli.output
    with open_context(service.access(request)) as ctx:
        direct = _json(service(ctx, request))
    assert result_of(cli.stdout) == direct
    return direct


@pytest.mark.usefixtures("isolated_env")
def test_cli_and_service_agree_on_the_embedded_data() -> None:
    share = _same(
        ["stats", "share", "--partner", "MEX", "--year", "2024"], stats.share, ShareRequest(partner="MEX", year=2024)
    )
    assert share["rows"][0]["partner"] == "MEX"
    duty = _same(
        ["tariff", "duty", "--hts", "8708.99.81", "--origin", "MX", "--value", "10000", "--date", "2025-06-01"],
        tariffs.duty,
        DutyRequest(hts="8708.99.81", origin="MX", value=10000, date="2025-06-01"),
    )
    assert duty["payload"]["total"] == 2750.0
    bom = ROOT / "docs" / "examples" / "bom.yaml"
    _same(
        ["origin", "check", str(bom), "--date", "2026-07-01"],
        origin.check,
        OriginCheckRequest(bom=bom, date="2026-07-01"),
    )


def test_a_service_needs_no_store_when_it_reads_none() -> None:
    request = PathRequest(start_value=53.2, start_year=2025, end_year=2031, end_value=97.4, unit="billions")
    with open_context(stats.path.access(request)) as ctx:
        assert ctx.store is None
        result = stats.path(ctx, request)
    assert [c.label for c in result.columns] == ["span", "start ($B)", "end ($B)", "cagr (%)"]
    assert result.rows[0][1:3] == (53.2, 97.4)
    assert result.payload.figure("cagr").display() == "10.6%"


def test_a_service_refuses_the_wrong_request() -> None:
    from nearshore.settings import Settings

    with pytest.raises(TypeError, match=r"stats\.path takes a PathRequest, not a ShareRequest"):
        stats.path(Context(Settings.load()), ShareRequest(partner="MEX"))  # type: ignore[arg-type]  # on purpose
