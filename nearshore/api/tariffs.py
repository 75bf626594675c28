"""/v1/tariff: duty on one entry, landed cost, batches (CSV or JSON upload; format=csv streams rows back), the
rate panel as a Parquet download, the effective rate and daily series, the schedule (and loading one: a
write), the policy file and its coverage. Duty, landed cost and the effective rate depend only on the store's
version, the call and the worker's policy file (read once): the worker keeps their answers (nearshore.api.answers)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from nearshore.api.endpoints import Route, add
from nearshore.api.uploads import Workspace
from nearshore.services.base import Result

router = APIRouter(prefix="/v1/tariff", tags=["tariff"])
PARQUET = "application/vnd.apache.parquet"


def _panel_file(result: Result[Any], ws: Workspace, request: Any) -> Response:
    data = ws.path("panel.parquet").read_bytes()
    name = f"tariff-panel-{request.date}.parquet"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(data, media_type=PARQUET, headers=headers)


ROUTES = (
    Route("tariff.duty", "/duty", cache=True),
    Route("tariff.compare", "/compare", cache=True),
    Route("tariff.batch", "/batch", "POST", uploads=("path",)),
    Route("tariff.panel", "/panel", server={"out": lambda w, ws: ws.path("panel.parquet")}, download=_panel_file),
    Route("tariff.effective", "/effective", cache=True),
    Route("tariff.series", "/series", server={"chart": lambda w, ws: None}),
    Route("tariff.schedule", "/schedule", server={"load": lambda w, ws: None}),
    Route("tariff.schedule", "/schedule/load", "POST", uploads=("load",), key=True, need=("load",)),
    Route("tariff.policy", "/policy"),
    Route("tariff.policy.show", "/policy/measures"),
)
for route in ROUTES:
    add(router, route)
