"""Every other registered service, offered without API code: a service that no resource module routes and that
catalog.NOT_OFFERED does not leave out gets `/v1/<its command path>` (`tariff.foo.bar` -> /v1/tariff/foo/bar),
so a new service appears in the API (and /openapi.json) when it is registered.

How its fields are offered, from their types alone (a caller never names a file on the server's disk):
    a required Path         an uploaded file (multipart): the server saves it in the call's scratch folder
    a Path defaulting None  not offered: the server gives None (the optional output or input is skipped)
    any other Path default  not offered: the server gives a file in the call's scratch folder, gone afterwards
    a tuple of Paths        refused when the app is built: route the service by hand or list it in NOT_OFFERED
It is a POST when it writes (key needed), takes an upload or always writes the store; a GET otherwise.
"""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from fastapi import APIRouter

from nearshore.api.catalog import NOT_OFFERED, routed
from nearshore.api.endpoints import Route, add
from nearshore.api.uploads import Workspace
from nearshore.api.worker import Worker
from nearshore.services import REGISTRY
from nearshore.services.base import Service
from nearshore.services.fields import specs


def holds_path(hint: Any) -> bool:
    """Whether a field's type is a Path or has one inside (Path | None, tuple[Path, ...])."""
    return hint is Path or any(holds_path(a) for a in get_args(hint) if a is not Ellipsis)


def _scratch(name: str) -> Any:
    def fill(worker: Worker, ws: Workspace) -> Path:
        return ws.path(name)

    return fill


def _none(worker: Worker, ws: Workspace) -> None:
    return None


def route_for(svc: Service[Any, Any]) -> Route:
    """The Route a service gets when no module routes it (see the module docstring)."""
    uploads: list[str] = []
    server: dict[str, Any] = {}
    for spec in specs(svc.request):
        if not holds_path(spec.type):
            continue
        plain = spec.type is Path or (
            get_origin(spec.type) in (Union, types.UnionType) and set(get_args(spec.type)) == {Path, type(None)}
        )
        if not plain:
            raise TypeError(f"{svc.name}.{spec.name}: route a service with several files by hand (nearshore.api)")
        if spec.required:
            uploads.append(spec.name)
        else:
            server[spec.name] = _none if spec.default is None else _scratch(spec.name)
    post = svc.writes or bool(uploads) or svc.store == "write"
    return Route(
        svc.name, "/" + svc.name.replace(".", "/"), "POST" if post else "GET", uploads=tuple(uploads), server=server
    )


def unrouted() -> list[str]:
    """The registered services no module routes and NOT_OFFERED does not leave out."""
    return sorted(set(REGISTRY) - routed() - set(NOT_OFFERED))


def router(taken: set[tuple[str, str]]) -> APIRouter:
    """The routes of the unrouted services; `taken` holds the (method, path) pairs already served."""
    made = APIRouter(prefix="/v1", tags=["more"])
    for name in unrouted():
        route = route_for(REGISTRY[name])
        if (route.method, "/v1" + route.path) in taken:
            raise ValueError(f"{name}: {route.method} /v1{route.path} is already served; route it by hand")
        add(made, route)
    return made


__all__ = ["holds_path", "route_for", "router", "unrouted"]
