"""`nearshore serve`: the HTTP API and the dashboard (needs the web extra)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from nearshore.cli.commands import command
from nearshore.services import serve as serving

if TYPE_CHECKING:
    from nearshore.services.base import Result

app = typer.Typer()


@command(app, None, serving.serve)
def serve(result: Result[Any]) -> None:
    """Serve the HTTP API (/v1; OpenAPI at /openapi.json, docs at /docs) and the dashboard (/) until Ctrl-C.

    Reads are public unless NEARSHORE_API_READ_KEY=true; writes need a key from `nearshore api-key create`.
    Behind a reverse proxy, listen on 127.0.0.1 and set NEARSHORE_API_PROXIES (docs/api.md).

    Example: nearshore serve --host 127.0.0.1 --port 8000 --workers 2
    """
    typer.echo(result.title, err=True)
