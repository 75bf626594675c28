"""Every registered service is offered (a new one without API code), and no HTTP caller can name a file on the
server's disk: a request field of type Path is an upload or filled by the server, never a query parameter, a
JSON body property or a form text field."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import pytest
from fastapi.testclient import TestClient

from nearshore.api import archive, briefs, catalog, data, generic, newsletter, origin, scenarios, stats, tariffs
from nearshore.api.app import create_app
from nearshore.api.endpoints import Route
from nearshore.services.base import REGISTRY, Context, Result, columns, service
from nearshore.services.fields import Request, arg, opt, specs
from nearshore.settings import Settings
from tests.api.conftest import Server, api_env

MODULES = (data, stats, tariffs, origin, briefs, scenarios, newsletter, archive)


def every_route() -> list[Route]:
    made = [route for module in MODULES for route in module.ROUTES]
    return made + [generic.route_for(REGISTRY[name]) for name in generic.unrouted()]


def path_fields(name: str) -> list[str]:
    return [s.name for s in specs(REGISTRY[name].request) if generic.holds_path(s.type)]


PATH_ROUTES = [(route, name) for route in every_route() for name in path_fields(route.service)]


def test_every_registered_service_is_offered_or_left_out_with_a_reason(reader: Server) -> None:
    operations = reader.client.get("/openapi.json").json()["paths"]
    offered = {route.service for route in every_route()}
    assert offered | set(catalog.NOT_OFFERED) == set(REGISTRY)
    assert not offered & set(catalog.NOT_OFFERED)
    for route in every_route():
        assert route.method.lower() in operations[route_path(route)], route


def route_path(route: Route) -> str:
    for module in MODULES:
        if route in module.ROUTES:
            return str(module.router.prefix + route.path)
    return "/v1" + route.path


@pytest.mark.parametrize(("route", "name"), PATH_ROUTES, ids=[f"{r.service}:{n}" for r, n in PATH_ROUTES])
def test_a_path_field_is_never_a_parameter_or_body_property(reader: Server, route: Route, name: str) -> None:
    operation = reader.client.get("/openapi.json").json()["paths"][route_path(route)][route.method.lower()]
    assert name not in {p["name"] for p in operation.get("parameters", [])}
    content = operation.get("requestBody", {}).get("content", {})
    assert "application/json" not in content or name not in schema_properties(reader, content["application/json"])
    if "multipart/form-data" in content:
        form = schema_properties(reader, content["multipart/form-data"])
        if name in form:  # only as a file
            assert "octet-stream" in str(form[name]), form[name]


def schema_properties(reader: Server, media: dict[str, Any]) -> dict[str, Any]:
    ref = media["schema"].get("$ref", "")
    components = reader.client.get("/openapi.json").json()["components"]["schemas"]
    found: dict[str, Any] = (components[ref.rsplit("/", 1)[1]] if ref else media["schema"]).get("properties", {})
    return found


@pytest.fixture(scope="module")
def key(reader: Server) -> dict[str, str]:
    return reader.auth(reader.key("paths"))


@pytest.mark.parametrize(("route", "name"), PATH_ROUTES, ids=[f"{r.service}:{n}" for r, n in PATH_ROUTES])
def test_a_path_sent_over_http_is_refused_and_nothing_is_written(
    reader: Server, key: dict[str, str], route: Route, name: str, tmp_path: Path
) -> None:
    target = tmp_path / "planted" / "x.out"
    url = route_path(route)
    as_query = reader.client.request(route.method, url, params={name: str(target)}, headers=key)
    assert as_query.status_code == 422, as_query.text
    assert as_query.json()["ok"] is False
    if route.method == "POST":
        as_json = reader.client.post(url, json={name: str(target)}, headers=key)
        as_form = reader.client.post(url, data={name: str(target)}, headers=key)
        assert as_json.status_code in (400, 422), as_json.text
        assert as_form.status_code in (400, 422), as_form.text
    assert not target.parent.exists()


@dataclass(frozen=True, kw_only=True)
class ProbeRequest(Request):
    word: Annotated[str, opt("A word.", "--word")]
    table: Annotated[Path, arg("An input file.")]
    chart: Annotated[Path | None, opt("Also write a chart here.", "--chart")] = None
    out: Annotated[Path, opt("Folder to write into.", "--out")] = Path("out")


SEEN: list[ProbeRequest] = []


@pytest.fixture
def probes(seeded_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """Two services registered after the API was written (one reads, one writes), in an app built afterwards."""

    def run(ctx: Context, r: ProbeRequest) -> Result[dict[str, Any]]:
        SEEN.append(r)
        text = r.table.read_text(encoding="utf-8")
        (r.out / "written.txt").parent.mkdir(parents=True, exist_ok=True)
        return Result("probe", columns("word", "lines"), ((r.word, len(text.splitlines())),), {"lines": 2})

    names = ("zz-probe.read", "zz-probe.write")
    service(names[0], ProbeRequest, store="none")(run)
    service(names[1], ProbeRequest, store="none", writes=True)(run)
    try:
        for key, value in api_env(tmp_path, seeded_store).items():
            monkeypatch.setenv(key, value)
        with TestClient(create_app(Settings.load(), warm=False), raise_server_exceptions=False) as client:
            yield Server(client, tmp_path, {})
    finally:
        for name in names:
            REGISTRY.pop(name, None)
        SEEN.clear()


def test_a_new_service_is_offered_without_api_code(probes: Server, tmp_path: Path) -> None:
    operation = probes.client.get("/openapi.json").json()["paths"]["/v1/zz-probe/read"]["post"]
    assert [p["name"] for p in operation["parameters"]] == ["word", "format"]
    files = {"table": ("t.csv", b"a\nb\n")}
    answer = probes.client.post("/v1/zz-probe/read", params={"word": "<b>x</b>"}, files=files)
    assert answer.status_code == 200, answer.text
    assert answer.json()["result"]["rows"] == [{"word": "<b>x</b>", "lines": 2}]
    seen = SEEN[-1]
    assert seen.chart is None
    assert seen.table.name == "t.csv"
    assert seen.out != Path("out")
    assert not seen.out.exists()  # a scratch folder (the probe made it), removed after the call
    assert not (Path.cwd() / "out" / "written.txt").exists()


def test_a_new_writing_service_needs_a_key(probes: Server) -> None:
    files = {"table": ("t.csv", b"a\n")}
    assert probes.client.post("/v1/zz-probe/write", params={"word": "w"}, files=files).status_code == 401
    key = probes.auth(probes.key())
    keyed = probes.client.post("/v1/zz-probe/write", params={"word": "w"}, files=files, headers=key)
    assert keyed.status_code == 200, keyed.text


def test_a_service_with_several_files_in_one_field_must_be_routed_by_hand() -> None:
    @dataclass(frozen=True, kw_only=True)
    class ManyRequest(Request):
        files: Annotated[tuple[Path, ...], arg("Files.")]

    svc = service("zz-probe.many", ManyRequest)(lambda ctx, r: Result("x", (), (), None))
    try:
        with pytest.raises(TypeError, match="route a service with several files by hand"):
            generic.route_for(svc)
    finally:
        REGISTRY.pop("zz-probe.many")
