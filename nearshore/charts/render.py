"""Drawing a chart specification to a file (SVG, PNG) with vl-convert, and the browser bundle (vega-embed with
Vega and Vega-Lite) that vl-convert emits for the dashboard. vl-convert runs the same Vega JavaScript as the
browser, in-process and offline, so a file and the page show the same chart."""

from __future__ import annotations

import functools
import json
import re
from html import escape
from typing import Any

from nearshore.errors import ConfigError

VEGA_LITE = "6.4"  # the Vega-Lite version both vl-convert and the browser bundle draw with


def _vl() -> Any:
    try:
        import vl_convert
    except ImportError:
        raise ConfigError("charts need vl-convert: pip install 'nearshore[web]' (or vl-convert-python)") from None
    return vl_convert


def svg(spec: dict[str, Any]) -> str:
    """The chart as an inline `<svg>` element labelled with its description (role img, aria-label, title)."""
    drawn = str(_vl().vegalite_to_svg(spec, vl_version=VEGA_LITE))
    label = escape(str(spec.get("description", "")), quote=True)
    title = spec.get("title", {})
    text = title.get("text", "") if isinstance(title, dict) else str(title)
    drawn = re.sub(r"<svg ", f'<svg role="img" aria-label="{label}" ', drawn, count=1)
    return re.sub(r"<svg[^>]*>", lambda m: m.group(0) + f"<title>{escape(text)}</title>", drawn, count=1)


def png(spec: dict[str, Any], scale: float = 2.0) -> bytes:
    """The chart as PNG bytes (`scale` 2: sharp in print and on dense screens)."""
    return bytes(_vl().vegalite_to_png(spec, vl_version=VEGA_LITE, scale=scale))


@functools.cache
def bundle() -> str:
    """The JavaScript bundle (vega-embed, Vega, Vega-Lite) that defines `window.vegaEmbed`; built once per
    process (about 0.9 MB, 2-3 s), served by the dashboard."""
    return str(_vl().javascript_bundle(vl_version=VEGA_LITE))


def spec_json(spec: dict[str, Any]) -> str:
    """The specification as JSON safe inside a <script type="application/json"> element."""
    return json.dumps(spec).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


__all__ = ["VEGA_LITE", "bundle", "png", "spec_json", "svg"]
