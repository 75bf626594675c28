"""What the API offers: every service is either routed (by one of the resource modules) or left out here, with
the reason a caller on the network cannot have it. A test holds the two together with the registry."""

from __future__ import annotations

from nearshore.api import archive, briefs, data, newsletter, origin, scenarios, stats, tariffs

NOT_OFFERED: dict[str, str] = {
    "serve": "runs the server itself",
    "llm.serve-local": "starts a model server on the server's machine",
    "api-key.create": "keys are made on the server's machine, where they are shown once",
    "api-key.list": "keys are managed on the server's machine",
    "api-key.revoke": "keys are managed on the server's machine",
    "data.seed": "replaces the server's store with the embedded snapshot: an operator's step on the machine",
    "data.fetch.census": "a long fetch from the Census API with the server's key: run it on the machine (cron)",
    "data.fetch.comtrade": "a long fetch from UN Comtrade with the server's key: run it on the machine (cron)",
    "data.snapshot.build": "reads the official raw files on the machine and rewrites the package's snapshot",
    "tariff.policy.build": "rewrites the policy file shipped inside the package",
    "archive.build": "writes a static site into a folder; the server answers /archive/ from the database itself",
}


def routed() -> set[str]:
    """The services some route offers."""
    modules = (data, stats, tariffs, origin, briefs, scenarios, newsletter, archive)
    return {route.service for module in modules for route in module.ROUTES}


__all__ = ["NOT_OFFERED", "routed"]
