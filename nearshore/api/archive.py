"""The newsletter archive: `/v1/archive` (the issues as JSON; `/v1/archive/check` recomputes every archived
figure), and the public pages a mail links to, `/archive/...`: the index by date and topic, each issue's page
(corrections above the text as first published) and facts, and the Atom and RSS feeds, read from the
newsletter database on each call (nothing to build or copy)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from nearshore.api.endpoints import Route, add
from nearshore.api.guard import require_key
from nearshore.api.schema import RESPONSES
from nearshore.api.worker import Worker
from nearshore.errors import InputError
from nearshore.services.base import Result, columns, open_context
from nearshore.services.envelope import envelope
from nearshore.services.newsletter import database

router = APIRouter(tags=["archive"])
ROUTES = (Route("archive.check", "/v1/archive/check"),)
for route in ROUTES:
    add(router, route)
FEED_MEDIA = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
PAGE_CACHE = {"Cache-Control": "public, max-age=300"}


def _with_db(request: Request, work: Callable[[Any], Any]) -> Any:
    worker: Worker = request.app.state.worker
    if worker.settings.flag("api_read_key"):
        require_key(request, worker.keys, "this server's reads")
    with open_context("none", settings=worker.settings) as ctx, database(ctx) as db:
        return work(db)


def _base(request: Request) -> str:
    worker: Worker = request.app.state.worker
    configured = worker.settings.get("newsletter_url").strip().rstrip("/")
    return f"{configured}/archive" if configured else str(request.base_url).rstrip("/") + "/archive"


@router.get("/v1/archive", summary="The archived newsletter issues, newest first", responses=RESPONSES)
def issues(request: Request, topic: str | None = None) -> JSONResponse:
    from nearshore.delivery.archive import archive_entries

    entries = _with_db(request, lambda db: archive_entries(db, topic))
    base = _base(request)
    rows = tuple((e.date, e.topic, e.subject, f"{base}/{e.slug}/", " ".join(e.corrections)) for e in entries)
    result = Result(
        "newsletter archive",
        columns("date", "topic", "subject", "url", "corrected"),
        rows,
        [
            {"slug": e.slug, "topic": e.topic, "date": e.date, "subject": e.subject, "summary": e.summary}
            for e in entries
        ],
        (f"feeds: {base}/atom.xml, {base}/rss.xml",),
    )
    return JSONResponse(envelope(result), headers=PAGE_CACHE)


def _page(request: Request, topic: str | None) -> HTMLResponse:
    from nearshore.delivery.archive import archive_entries
    from nearshore.delivery.archive_pages import index_page

    entries = _with_db(request, lambda db: archive_entries(db, topic))
    if topic is not None:
        return HTMLResponse(index_page(entries, f"nearshore brief archive: {topic}", "../", ()), headers=PAGE_CACHE)
    topics = sorted({e.topic for e in entries})
    return HTMLResponse(index_page(entries, "nearshore brief archive", "", topics), headers=PAGE_CACHE)


@router.get("/archive/", response_class=HTMLResponse, include_in_schema=False)
@router.get("/archive/index.html", response_class=HTMLResponse, include_in_schema=False)
def index(request: Request) -> HTMLResponse:
    return _page(request, None)


def _feed(request: Request, kind: Literal["atom", "rss"], topic: str | None) -> Response:
    from nearshore.delivery.archive import archive_entries
    from nearshore.delivery.feeds import feed

    entries = _with_db(request, lambda db: archive_entries(db))
    return Response(feed(entries, _base(request), kind, topic), media_type=FEED_MEDIA[kind], headers=PAGE_CACHE)


@router.get("/archive/atom.xml", include_in_schema=False)
def atom(request: Request) -> Response:
    return _feed(request, "atom", None)


@router.get("/archive/rss.xml", include_in_schema=False)
def rss(request: Request) -> Response:
    return _feed(request, "rss", None)


def _not_found(slug: str) -> HTMLResponse:
    from html import escape

    body = (
        f"<!DOCTYPE html><title>Not found</title><p>No archived issue {escape(slug)}. "
        "<a href='/archive/'>All issues</a></p>"
    )
    return HTMLResponse(body, status_code=404)


@router.get("/archive/{topic}/{name}", include_in_schema=False)
def topic_file(request: Request, topic: str, name: str) -> Response:
    """A topic's index page or feed."""
    if name == "index.html":
        return _page(request, topic)
    if name in ("atom.xml", "rss.xml"):
        return _feed(request, "atom" if name == "atom.xml" else "rss", topic)
    return _not_found(f"{topic}/{name}")


@router.get("/archive/{topic}/", include_in_schema=False)
def topic_index(request: Request, topic: str) -> Response:
    return _page(request, topic)


@router.get("/archive/{topic}/{date}/", include_in_schema=False)
@router.get("/archive/{topic}/{date}/index.html", include_in_schema=False)
def issue_page(request: Request, topic: str, date: str) -> Response:
    from nearshore.delivery.archive import archive_page

    try:
        page = _with_db(request, lambda db: archive_page(db, f"{topic}/{date}"))
    except InputError:
        return _not_found(f"{topic}/{date}")
    return HTMLResponse(page, headers=PAGE_CACHE)


@router.get("/archive/{topic}/{date}/facts.json", include_in_schema=False)
def issue_facts(request: Request, topic: str, date: str) -> Response:
    from nearshore.delivery.archive import archive_facts

    try:
        facts = _with_db(request, lambda db: archive_facts(db, f"{topic}/{date}"))
    except InputError:
        return _not_found(f"{topic}/{date}")
    return Response(facts, media_type="application/json", headers=PAGE_CACHE)
