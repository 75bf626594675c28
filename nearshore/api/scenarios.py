"""/v1/scenario: structural gravity estimates and general-equilibrium counterfactuals (panel files uploaded)."""

from __future__ import annotations

from fastapi import APIRouter

from nearshore.api.endpoints import Route, add

router = APIRouter(prefix="/v1/scenario", tags=["scenario"])
ROUTES = (
    Route("scenario.gravity.estimate", "/gravity/estimate", "POST", uploads=("data", "covariates")),
    Route("scenario.gravity.counterfactual", "/gravity/counterfactual", "POST", uploads=("data", "betas")),
)
for route in ROUTES:
    add(router, route)
