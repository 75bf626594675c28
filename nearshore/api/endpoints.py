"""Services as endpoints: one route per service, its parameters the request's own fields.

`add(router, Route("tariff.duty", "/duty"))` makes `GET /v1/tariff/duty?hts=...&origin=...`: the query
parameters (or, for a POST without files, the JSON body) are a pydantic model built from the request's fields
(each with its help as description, its Literal values as an enum, its range), so the OpenAPI schema is
written once, in the request. A field that is an input file is an uploaded part (multipart); a field the server
fills (an output file) is not offered. Every answer is the envelope (`format=csv` gives the rows as CSV, for
spreadsheets); reads carry an ETag (package version, store version, the call) and Cache-Control, long for
a call pinned to a vintage (`as_of`) or independent of the store.

Who may call: a service that writes (`Service.writes`, or a request whose store access is "write") needs an API
key unless its Route says it is public (sign-up, confirm, unsubscribe: a signed token or double opt-in guards
them); `Route.key=True` asks for one on a read that holds personal data; with api_read_key every call needs one.
"""

from __future__ import annotations

import csv
import inspect
import io
import types
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from fastapi import APIRouter, Body, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, create_model

from nearshore.api.errors import crash_response, headers_of, status_of
from nearshore.api.guard import client_address, require_key
from nearshore.api.schema import RESPONSES
from nearshore.api.uploads import Workspace
from nearshore.api.worker import Worker
from nearshore.api.writer import rebuilt_error, run_command
from nearshore.errors import InputError, NearshoreError
from nearshore.services import REGISTRY
from nearshore.services.base import Result, Service
from nearshore.services.envelope import envelope
from nearshore.services.fields import FieldSpec, specs

KEYWORD = inspect.Parameter.KEYWORD_ONLY
# (method, path) of the routes that always need a key, and of those that never do (a signed token or double
# opt-in guards them): the guard checks these before the request is even read
KEYED: set[tuple[str, str]] = set()
PUBLIC: set[tuple[str, str]] = set()
Download = Callable[[Result[Any], Workspace, Any], Response]


@dataclass(frozen=True)
class Route:
    """How one service is offered: its path, method, the fields that arrive as files (`uploads`: one file;
    `folders`: several), the fields the server fills (`server`: name -> f(worker, workspace)), who may call
    (`key`: None = writes need a key, True = always, False = never), a file answer (`download`), the
    optional uploads this route requires (`need`), and whether the worker may keep its JSON answers
    (`cache`: only for a read whose answer is a function of the store file's version and the call)."""

    service: str
    path: str
    method: Literal["GET", "POST"] = "GET"
    uploads: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()
    server: Mapping[str, Callable[[Worker, Workspace], Any]] = field(default_factory=dict)
    key: bool | None = None
    download: Download | None = None
    need: tuple[str, ...] = ()  # uploads this route requires though the request field is optional
    cache: bool = False  # the answer depends only on the store's version and the call (nearshore.api.answers)


def _api_type(hint: Any) -> Any:
    """A request field's type as the API takes it: tuples as lists, the rest as they are."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return Union[tuple(_api_type(a) for a in get_args(hint))]  # noqa: UP007  # built at run time
    if origin is tuple:
        return list[_api_type(get_args(hint)[0])]  # type: ignore[misc]
    if hint is Path:
        raise TypeError("a path field must be an upload or filled by the server")
    return hint


def _field(spec: FieldSpec) -> tuple[Any, Any]:
    default = ... if spec.required else (list(spec.default) if isinstance(spec.default, tuple) else spec.default)
    param = spec.param
    return _api_type(spec.type), Field(default, description=param.help, ge=param.min, le=param.max)


def params_model(svc: Service[Any, Any], exclude: set[str], with_format: bool) -> type[BaseModel]:
    """The pydantic model of a service's request fields (less `exclude`), unknown names refused."""
    fields: dict[str, Any] = {s.name: _field(s) for s in specs(svc.request) if s.name not in exclude}
    if with_format:
        fields["format"] = (Literal["json", "csv"], Field("json", description="json (the envelope) or csv (rows)."))
    name = "".join(part.title() for part in svc.name.replace("-", ".").split(".")) + "Params"
    model: type[BaseModel] = create_model(name, __config__=ConfigDict(extra="forbid"), **fields)
    return model


def _csv_chunks(result: Result[Any], lines: int = 2000) -> Iterator[str]:
    """The rows as CSV text, `lines` rows at a time (a large batch goes out while it is still being written)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.label for c in result.columns])
    for i, row in enumerate(result.rows, 1):
        writer.writerow(
            ["" if v is None else " ".join(map(str, v)) if isinstance(v, (list, tuple)) else v for v in row]
        )
        if i % lines == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _csv(result: Result[Any]) -> Response:
    return StreamingResponse(_csv_chunks(result), media_type="text/csv; charset=utf-8")


def _cache_headers(svc: Service[Any, Any], request: Any, get: bool) -> dict[str, str]:
    if not get:
        return {"Cache-Control": "no-store"}
    fixed = getattr(request, "as_of", None) is not None or svc.access(request) == "none"
    return {"Cache-Control": "public, max-age=86400" if fixed else "public, max-age=300, must-revalidate"}


@dataclass(frozen=True)
class Call:
    """One call of a routed service: what the endpoint hands to `answer`."""

    route: Route
    svc: Service[Any, Any]
    request: Request
    given: dict[str, Any]
    files: dict[str, Any]


def _key_needed(call: Call, worker: Worker, built: Any = None) -> str | None:
    """What needs a key in this call (for the message), or None when it may go without one."""
    svc, route = call.svc, call.route
    if route.key is False:
        return None
    if route.key or svc.writes or (built is not None and svc.access(built) == "write"):
        return f"{route.method} {call.request.url.path}"
    return "this server's reads" if worker.settings.flag("api_read_key") else None


def _build(call: Call, worker: Worker, ws: Workspace) -> Any:
    given = dict(call.given)
    for name in call.route.uploads:
        upload = call.files.get(name)
        if isinstance(upload, str):  # an optional file part sent as text: perhaps a path on the server's disk
            raise InputError(
                f"{name} must be an uploaded file (a multipart file part), not text: this server reads no paths",
                field=name,
                value=upload[:100],
                hint=f"send the file itself, e.g. curl -F {name}=@local-file",
            )
        given[name] = None if upload is None else ws.save(upload.file, upload.filename, name)
    for name in call.route.folders:
        for upload in call.files.get(name) or []:
            ws.save(upload.file, upload.filename, "file", folder=name)
        given[name] = ws.path(name)
    for name, fill in call.route.server.items():
        given[name] = fill(worker, ws)
    return call.svc.request(**given)


def _kept(call: Call, worker: Worker, built: Any, fmt: str) -> str:
    """The store version under which this call's JSON answer may be kept ('' when it may not)."""
    route = call.route
    if not route.cache or route.method != "GET" or fmt != "json" or call.svc.access(built) != "read":
        return ""
    return worker.store_version()  # '' for a store without a file version (in memory)


def answer(call: Call) -> Response:
    """Run one call: check who calls, build the request, run the service (or the writer path), answer."""
    worker: Worker = call.request.app.state.worker
    svc, route, get = call.svc, call.route, call.route.method == "GET"
    fmt = call.given.pop("format", "json")
    with Workspace() as ws:
        try:
            what = _key_needed(call, worker)  # before any work on the uploads
            if what is not None:
                require_key(call.request, worker.keys, what)
            built = _build(call, worker, ws)
            what = what or _key_needed(call, worker, built)  # a request that turns out to write
            if what is not None:
                require_key(call.request, worker.keys, what)
            headers = _cache_headers(svc, built, get)
            kept = _kept(call, worker, built, fmt)
            if get:
                headers["ETag"] = worker.etag(svc.name, str(call.request.url.query))
                if call.request.headers.get("if-none-match") == headers["ETag"]:
                    return Response(status_code=304, headers=headers)
                if kept and (body := worker.answers.get(kept, headers["ETag"])) is not None:
                    return Response(body, 200, headers, media_type="application/json")
            if svc.access(built) == "write":
                with worker.reader.paused():  # the child takes the write lock: this worker lets go of the file
                    document = ws.scrub(run_command(worker.settings, svc, built, ws.root))
                error = rebuilt_error(document["error"]) if not document.get("ok") else None
                return JSONResponse(document, 200 if error is None else status_of(error), headers)
            result = worker.run(svc, built, client_address(call.request))
            if result.error is None and route.download is not None:
                return route.download(result, ws, built)
            if fmt == "csv" and result.error is None:
                return _csv(result)
            status = 200 if result.error is None else status_of(result.error)
            response = JSONResponse(ws.scrub(envelope(result)), status, headers)
            if kept and status == 200:
                worker.answers.put(kept, headers["ETag"], bytes(response.body))
            return response
        except NearshoreError as exc:
            return JSONResponse(ws.scrub(envelope(error=exc)), status_of(exc), headers_of(exc))
        except Exception as exc:  # a bug: logged with a reference, answered without details
            return crash_response(call.request, exc)


def add(router: APIRouter, route: Route) -> None:
    """Add the service's endpoint to `router` (see the module docstring)."""
    svc = REGISTRY[route.service]
    where_to = (route.method, router.prefix + route.path)
    if route.key is False:
        PUBLIC.add(where_to)
    elif route.key or svc.writes:
        KEYED.add(where_to)
    files = {*route.uploads, *route.folders}
    exclude = files | set(route.server)
    get = route.method == "GET"
    model = params_model(svc, exclude, with_format=route.download is None)
    where = Query() if get or files else Body()
    parameters = [
        inspect.Parameter("request", KEYWORD, annotation=Request),
        inspect.Parameter("params", KEYWORD, annotation=Annotated[model, where]),
    ]
    required = {s.name for s in specs(svc.request) if s.required} | set(route.need)
    for name in route.uploads:
        kind = UploadFile if name in required else UploadFile | str | None  # text refused in _build
        default = File(...) if name in required else File(None)
        parameters.append(inspect.Parameter(name, KEYWORD, default=default, annotation=kind))
    for name in route.folders:
        parameters.append(inspect.Parameter(name, KEYWORD, default=File(...), annotation=list[UploadFile]))

    def endpoint(request: Request, params: BaseModel, **uploaded: Any) -> Response:
        return answer(Call(route, svc, request, params.model_dump(), uploaded))

    endpoint.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    endpoint.__name__ = svc.name.replace(".", "_").replace("-", "_")
    doc = svc.doc.splitlines()[0] if svc.doc else svc.name
    router.add_api_route(
        route.path,
        endpoint,
        methods=[route.method],
        summary=doc,
        description=f"{svc.doc}\n\nThe same as `nearshore {svc.name.replace('.', ' ')}`.",
        responses=RESPONSES,
        response_model=None,
    )


__all__ = ["KEYED", "PUBLIC", "Call", "Route", "add", "answer", "params_model"]
