"""The HTTP API and dashboard as a service: `serve` runs uvicorn with the app of nearshore.api (by its import
name, as uvicorn's worker processes each import it) until it is stopped. It runs a process rather than
changing data, so it is marked as a write: the HTTP API never offers it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from nearshore.errors import ConfigError
from nearshore.services.base import Context, Result, columns, service
from nearshore.services.fields import Request, opt

APP = "nearshore.api.app:create_app"  # each worker process builds its own app (settings, caches) from this


@dataclass(frozen=True, kw_only=True)
class ServeRequest(Request):
    host: Annotated[
        str, opt("Address to listen on (0.0.0.0: every interface; put a reverse proxy in front).", "--host")
    ] = "127.0.0.1"
    port: Annotated[int, opt("Port to listen on.", "--port", "-p", min=1, max=65535)] = 8000
    workers: Annotated[
        int, opt("Worker processes; each loads the schedule, policy and rule book once.", "--workers", "-w", min=1)
    ] = 1


def check_web_extra() -> None:
    """A ConfigError naming the extra when FastAPI or uvicorn is not installed."""
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise ConfigError(
            f"`nearshore serve` needs the 'web' extra ({exc.name} is missing): pip install 'nearshore[web]'"
        ) from None


@service("serve", ServeRequest, store="none", writes=True)
def serve(ctx: Context, r: ServeRequest) -> Result[dict[str, Any]]:
    """Serve the HTTP API (/v1, OpenAPI at /openapi.json, docs at /docs) and the dashboard (/) until Ctrl-C."""
    check_web_extra()
    import uvicorn

    from nearshore.data.snapshot import open_store

    with open_store(ctx.settings, read_only=True):  # a fresh machine's store is made and seeded here, once
        pass
    url = f"http://{r.host}:{r.port}"
    ctx.notify(f"serving {url}/ (dashboard), {url}/v1 (API), {url}/docs; {r.workers} worker(s); stop with Ctrl-C")
    uvicorn.run(
        APP,
        factory=True,
        host=r.host,
        port=r.port,
        workers=r.workers,
        access_log=False,  # the app logs each call without its query string (tokens travel there)
        server_header=False,
        proxy_headers=False,  # the app trusts X-Forwarded-* only from the proxies in the setting api_proxies
        log_level="warning",
    )
    return Result("server stopped", columns("url", "workers"), ((url, r.workers),), {"url": url, "workers": r.workers})


__all__ = ["APP", "ServeRequest", "check_web_extra", "serve"]
