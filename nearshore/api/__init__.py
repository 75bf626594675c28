"""The HTTP API over the services, and the application `nearshore serve` runs (see nearshore.api.app).

One module per resource: data, stats, tariffs, origin, briefs, scenarios, newsletter and archive, each a
router whose endpoints are services offered through `endpoints.Route`; `guard` (keys, rate limits, body
limit), `errors` (statuses), `uploads` (files in and out), `worker` (what a worker holds), `writer` (the one
path that writes the store), `catalog` (what is offered, and what is not and why).
"""

from __future__ import annotations

__all__: list[str] = []
