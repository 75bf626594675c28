"""The dashboard `nearshore serve` shows at /: server-rendered pages over the services (nearshore.web.pages),
its charts from the shared chart definitions (nearshore.web.charts over nearshore.charts)."""

from __future__ import annotations

__all__: list[str] = []
