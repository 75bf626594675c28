"""One chart definition for every place a chart appears: Vega-Lite specifications (`nearshore.charts.spec`),
drawn to SVG or PNG files by vl-convert for the static brief (`nearshore.charts.render`), and in the browser
by the vega-embed bundle that vl-convert emits (the dashboard serves it; no CDN)."""

from __future__ import annotations

from nearshore.charts import alt
from nearshore.charts.render import bundle, png, spec_json, svg
from nearshore.charts.spec import KINDS, PALETTE, ChartKind, Points, spec

__all__ = ["KINDS", "PALETTE", "ChartKind", "Points", "alt", "bundle", "png", "spec", "spec_json", "svg"]
