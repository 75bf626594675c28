"""/v1/origin: check a bill of materials (upload YAML, JSON or CSV), what would change the answer, certify (JSON,
or the PDF at /certify.pdf), the rule for an HS code, the rule book, and a batch of BOMs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from nearshore.api.endpoints import Route, add
from nearshore.api.uploads import Workspace
from nearshore.services.base import Result

router = APIRouter(prefix="/v1/origin", tags=["origin"])


def _certificate_pdf(result: Result[Any], ws: Workspace, request: Any) -> Response:
    from nearshore.origin.certificate import write_pdf

    path = write_pdf(result.payload, ws.path("certification.pdf"))
    headers = {"Content-Disposition": 'attachment; filename="usmca-certification.pdf"', "Cache-Control": "no-store"}
    return Response(path.read_bytes(), media_type="application/pdf", headers=headers)


ROUTES = (
    Route("origin.check", "/check", "POST", uploads=("bom", "rules")),
    Route("origin.what-if", "/what-if", "POST", uploads=("bom", "rules")),
    Route("origin.certify", "/certify", "POST", uploads=("bom",)),
    Route("origin.certify", "/certify.pdf", "POST", uploads=("bom",), download=_certificate_pdf),
    Route("origin.rule", "/rule"),
    Route("origin.rules", "/rules"),
    Route("origin.batch", "/batch", "POST", folders=("directory",)),
)
for route in ROUTES:
    add(router, route)
