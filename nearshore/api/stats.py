"""/v1/stats: every `nearshore stats` figure, with the same parameters and provenance (sources, vintages, SQL)."""

from __future__ import annotations

from fastapi import APIRouter

from nearshore.api.endpoints import Route, add
from nearshore.services import REGISTRY

router = APIRouter(prefix="/v1/stats", tags=["stats"])
# a figure depends only on the store's version and the call: the worker keeps its answers (nearshore.api.answers)
ROUTES = tuple(
    Route(name, "/" + name.split(".", 1)[1], cache=True) for name in sorted(REGISTRY) if name.startswith("stats.")
)
for route in ROUTES:
    add(router, route)
