"""/v1/data: what the store holds, its loads with provenance, and loading an official file (a write)."""

from __future__ import annotations

from fastapi import APIRouter

from nearshore.api.endpoints import Route, add

router = APIRouter(prefix="/v1/data", tags=["data"])
ROUTES = (
    Route("data.info", "/info"),
    Route("data.loads", "/loads"),
    Route("data.load", "/load", "POST", uploads=("path",)),
)
for route in ROUTES:
    add(router, route)
