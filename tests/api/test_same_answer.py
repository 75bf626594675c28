"""The same request through the command line and the HTTP API gives the same document: for every read the API
offers by GET, the command's own `Example:` is run both ways (the CLI with --format json, the API with the same
options as query parameters) and the two envelopes must be equal, errors included (with the status the error
class maps to). Uploads are compared on real files (a BOM, a batch of entry lines)."""

from __future__ import annotations

import json
import math
import re
import shlex
from pathlib import Path
from typing import Any

import click
import pytest
import typer.main
from typer.testing import CliRunner

from nearshore.api import data as data_routes
from nearshore.api import errors
from nearshore.api import newsletter as newsletter_routes
from nearshore.api import stats as stats_routes
from nearshore.api import tariffs as tariff_routes
from nearshore.api.endpoints import Route
from nearshore.cli.main import app
from nearshore.services import REGISTRY
from nearshore.services.fields import specs
from nearshore.services.plain import plain
from tests.api.conftest import EXAMPLES, Server

runner = CliRunner()
GET_ROUTES: list[tuple[str, Route]] = [
    (prefix + route.path, route)
    for prefix, module in (
        ("/v1/stats", stats_routes),
        ("/v1/tariff", tariff_routes),
        ("/v1/data", data_routes),
        ("/v1/newsletter", newsletter_routes),
    )
    for route in module.ROUTES
    if route.method == "GET" and route.download is None and not route.key
]


def command_for(name: str) -> click.Command:
    command: Any = typer.main.get_command(app)
    for word in name.split("."):
        command = command.get_command(typer.Context(command), word)  # the top level builds its groups on use
    return command  # type: ignore[no-any-return]


# a group's own service whose Example shows a subcommand instead
OWN_EXAMPLE = {"tariff.policy": ["--coverage"]}


def example(name: str, drop: tuple[str, ...] = ()) -> list[str]:
    """The options of the command's own `Example:` line (after `nearshore <words>`), less the options of the
    fields in `drop` (those the server fills itself, such as an output file)."""
    if name in OWN_EXAMPLE:
        return OWN_EXAMPLE[name]
    found = re.search(r"Example: (nearshore [^\n]+)", command_for(name).help or "")
    assert found, f"{name} has no Example: in its help"
    words = shlex.split(found.group(1))[1 + len(name.split(".")) :]
    flags = {f for s in specs(REGISTRY[name].request) if s.name in drop for f in s.flags}
    kept: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word in flags:
            skip = True
        else:
            kept.append(word)
    return kept


def query(name: str, args: list[str]) -> dict[str, Any]:
    """The command's options as the API's query parameters (field names; lists repeated)."""
    context = command_for(name).make_context(name, list(args))
    fields = {s.name for s in specs(REGISTRY[name].request)}
    return {k: v for k, v in context.params.items() if k in fields and v not in (None, [], ())}


def same(left: Any, right: Any) -> bool:
    """Equal documents; floats to 1e-9 relative (DuckDB's parallel sums differ in the last bits from one run
    of the same command to the next)."""
    if isinstance(left, float) and isinstance(right, float):
        return math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right, strict=True))
    return bool(left == right)


def cli_document(name: str, args: list[str], env: dict[str, str]) -> dict[str, Any]:
    done = runner.invoke(app, [*name.split("."), *args, "--format", "json"], env=env)
    document: dict[str, Any] = json.loads(done.stdout)
    return document


def test_every_get_route_is_compared() -> None:
    assert {route.service for _, route in GET_ROUTES} >= {n for n in REGISTRY if n.startswith("stats.")}


@pytest.mark.parametrize(("path", "route"), GET_ROUTES, ids=[p for p, _ in GET_ROUTES])
def test_the_commands_example_gives_the_same_document(reader: Server, path: str, route: Route) -> None:
    args = example(route.service, drop=tuple(route.server))
    params = query(route.service, args)
    cli = cli_document(route.service, args, reader.env)
    response = reader.client.get(path, params=params)
    api = response.json()
    assert same(api, cli), (api, cli)
    if cli["ok"]:
        assert response.status_code == 200
    else:
        error = errors_of(cli["error"])
        assert response.status_code == errors.status_of(error), cli["error"]


def errors_of(body: dict[str, Any]) -> Any:
    from nearshore.api.writer import rebuilt_error

    return rebuilt_error(body)


def test_an_origin_check_upload_gives_the_commands_document(reader: Server) -> None:
    bom = EXAMPLES / "bom.yaml"
    cli = cli_document("origin.check", [str(bom), "--date", "2026-01-15"], reader.env)
    with bom.open("rb") as handle:
        response = reader.client.post(
            "/v1/origin/check", params={"date": "2026-01-15"}, files={"bom": ("bom.yaml", handle)}
        )
    assert response.status_code == 200
    api = response.json()
    # the CLI names the file as given; the API as uploaded (never the server's temporary folder)
    assert same(json.loads(json.dumps(cli).replace(str(bom.parent) + "/", "")), api)


def test_a_batch_upload_gives_the_commands_rows(reader: Server, tmp_path: Path) -> None:
    batch = tmp_path / "entries.csv"
    batch.write_text(
        "hts,origin,value,date\n8708.99.81,MX,10000,2025-06-01\n8708.99.81,CN,10000,2025-06-01\n"
        "9401.71.00,VN,2500,2025-03-01\n",
        encoding="utf-8",
    )
    cli = cli_document("tariff.batch", [str(batch)], reader.env)
    with batch.open("rb") as handle:
        response = reader.client.post("/v1/tariff/batch", files={"path": ("entries.csv", handle)})
    assert response.status_code == 200
    assert response.json()["result"]["rows"] == cli["result"]["rows"]
    assert response.json()["result"]["rows"][1]["duty"] == plain(cli["result"]["rows"][1]["duty"])
    with batch.open("rb") as handle:
        as_csv = reader.client.post("/v1/tariff/batch", params={"format": "csv"}, files={"path": ("e.csv", handle)})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.text.splitlines()[0] == "row,hts,origin,date,value,duty,effective_rate,layers"
    assert len(as_csv.text.splitlines()) == 4
