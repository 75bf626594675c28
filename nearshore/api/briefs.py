"""/v1/briefs: the briefs generated on this server (list, and each as HTML, Markdown, PDF or facts JSON),
generating one (a write: the brief is written into the server's brief folder, setting api_briefs_dir), and
checking an uploaded brief against its facts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from nearshore.api.endpoints import Route, add
from nearshore.api.guard import require_key
from nearshore.api.schema import RESPONSES
from nearshore.api.uploads import Workspace
from nearshore.api.worker import Worker
from nearshore.errors import DataNotFound
from nearshore.services.base import Result, columns
from nearshore.services.envelope import envelope

router = APIRouter(prefix="/v1/briefs", tags=["briefs"])
FILE = re.compile(r"^(?P<name>[a-z][a-z-]*-\d{4})\.(?P<kind>html|md|pdf|facts\.json)$")
MEDIA = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "pdf": "application/pdf",
    "facts.json": "application/json",
}


def _folder(worker: Worker, ws: Workspace) -> Path:
    worker.briefs_dir.mkdir(parents=True, exist_ok=True)
    return ws.alias(worker.briefs_dir, "/v1/briefs")


ROUTES = (
    Route(
        "brief", "", "POST", server={"out": _folder, "quotes": lambda _worker, _ws: None}
    ),  # no quotes file over HTTP
    Route("brief.check", "/check", "POST", uploads=("file", "facts")),
)
for route in ROUTES:
    add(router, route)


def _reader(request: Request) -> Worker:
    worker: Worker = request.app.state.worker
    if worker.settings.flag("api_read_key"):
        require_key(request, worker.keys, "this server's reads")
    return worker


def listing(folder: Path) -> list[dict[str, Any]]:
    """Each brief in the folder, newest year first: name, topic, year, and the URL of each of its files."""
    found: dict[str, dict[str, str]] = {}
    for path in folder.glob("*") if folder.is_dir() else []:
        match = FILE.match(path.name)
        if match:
            found.setdefault(match["name"], {})[match["kind"]] = f"/v1/briefs/{path.name}"
    rows = []
    for name, files in found.items():
        topic, _, year = name.rpartition("-")
        rows.append({"name": name, "topic": topic, "year": int(year), "files": files})
    return sorted(rows, key=lambda r: (-r["year"], r["topic"]))


@router.get("", summary="The briefs generated on this server, newest first", responses=RESPONSES)
def briefs(request: Request) -> JSONResponse:
    worker = _reader(request)
    found = listing(worker.briefs_dir)
    result = Result(
        "briefs on this server",
        columns("name", "topic", "year", "formats"),
        tuple((b["name"], b["topic"], b["year"], " ".join(sorted(b["files"]))) for b in found),
        found,
        (f"{len(found)} brief(s); generate one with POST /v1/briefs",),
    )
    return JSONResponse(envelope(result), headers={"Cache-Control": "no-cache"})


@router.get(
    "/{file}",
    summary="One brief as HTML, Markdown, PDF or its facts (JSON): <topic>-<year>.html|md|pdf|facts.json",
    responses={**RESPONSES, 200: {"description": "The file"}},
)
def brief_file(request: Request, file: str) -> Response:
    worker = _reader(request)
    match = FILE.match(file)
    path = worker.briefs_dir / file
    if match is None or not path.is_file():
        raise DataNotFound(
            f"no brief file {file!r} on this server; GET /v1/briefs lists them",
            field="file",
            value=file[:100],
            hint="names look like us-mexico-2024.html, .md, .pdf or .facts.json",
        )
    return Response(path.read_bytes(), media_type=MEDIA[match["kind"]], headers={"Cache-Control": "no-cache"})
