"""The application `nearshore serve` runs: the /v1 API, its OpenAPI schema (/openapi.json) and docs page (/docs,
Swagger UI served from the package's own files), the newsletter archive, and the dashboard (nearshore.web).
Services no resource module routes are offered by nearshore.api.generic, so a new service needs no API code.

    create_app(settings)   one worker's app: settings read once, the schedule, policy and rule book warmed,
                           the store kept open read-only while calls come (nearshore.api.reader), answers
                           kept per store version (nearshore.api.answers), keys, rate limits and the body
                           limit in front of every route

Around the routes, outermost first: trusted-proxy headers (only from api_proxies), the body size limit, CORS
(only for api_cors_origins), the access log line (method, route, status, time: never a query string or a
header, where tokens and keys travel), rate limits, and security headers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from nearshore._version import __version__
from nearshore.api import archive, briefs, data, errors, generic, newsletter, origin, scenarios, stats, tariffs
from nearshore.api.endpoints import KEYED, PUBLIC
from nearshore.api.guard import BodyLimit, check_rate, require_key
from nearshore.api.worker import Worker
from nearshore.errors import NearshoreError
from nearshore.settings import Settings

log = logging.getLogger("nearshore.api")
access_log = logging.getLogger("nearshore.api.access")
DESCRIPTION = """North American trade intelligence from official data: the same services as the `nearshore`
command line, answered as one JSON envelope. Reads are public unless the server requires a key; writes need
`Authorization: Bearer KEY` (keys from `nearshore api-key create`). Every read takes `format=csv` for its rows."""
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def _swagger_assets() -> Path | None:
    try:
        import fastapi_offline
    except ImportError:
        return None
    return Path(fastapi_offline.__file__).parent / "static"


def _docs(app: FastAPI) -> None:
    assets = _swagger_assets()
    if assets is None:
        return
    app.mount("/docs-assets", StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="nearshore API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon.png",
            swagger_ui_parameters={"validatorUrl": None, "defaultModelsExpandDepth": 0},
        )


def check_key(request: Request, worker: Worker) -> None:
    """Before a request is read: a key for the routes that always need one, and for every /v1 call but the
    public ones when reads need a key (the endpoints check again, for requests that turn out to write)."""
    where = (request.method, request.url.path)
    if where in KEYED:
        require_key(request, worker.keys, f"{request.method} {request.url.path}")
    elif worker.settings.flag("api_read_key") and where not in PUBLIC and request.url.path.startswith("/v1/"):
        require_key(request, worker.keys, "this server's reads")


def _middleware(app: FastAPI, worker: Worker) -> None:
    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        try:
            if not request.url.path.startswith(("/static/", "/docs-assets/")):
                check_rate(request, worker.keys, worker.by_ip, worker.by_key)
            check_key(request, worker)
            response = await call_next(request)
        except NearshoreError as exc:
            response = errors.error_response(exc)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        route = request.scope.get("route")
        access_log.info(
            "%s %s %d %.1f ms",
            request.method,
            getattr(route, "path", "(no route)"),
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        return response

    origins = [o.strip() for o in worker.settings.get("api_cors_origins").split(",") if o.strip()]
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type"],
            max_age=600,
        )
    app.add_middleware(BodyLimit, limit=worker.settings.integer("api_max_body"))
    proxies = [p.strip() for p in worker.settings.get("api_proxies").split(",") if p.strip()]
    if proxies:
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=proxies)


def create_app(settings: Settings | None = None, *, warm: bool = True) -> FastAPI:
    """One worker's application (uvicorn calls it in each worker process; tests call it directly)."""
    worker = Worker.start(settings or Settings.load())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            worker.warm()
        yield
        worker.reader.close()  # let go of the store file now rather than after the linger

    app = FastAPI(
        title="nearshore",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.worker = worker
    errors.install(app)
    for module in (data, stats, tariffs, origin, briefs, scenarios, newsletter, archive):
        app.include_router(module.router)
    taken = {(m, r.path) for r in app.routes if isinstance(r, APIRoute) for m in r.methods or ()}
    app.include_router(generic.router(taken))
    _docs(app)
    from nearshore.web import pages

    pages.install(app)
    _middleware(app, worker)
    return app


__all__ = ["create_app"]
