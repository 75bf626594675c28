"""Reading the CLI's `--format json` output: the one envelope of nearshore/services/envelope.py."""

from __future__ import annotations

import json
from typing import Any


def result_of(output: str) -> dict[str, Any]:
    """The result inside a success envelope (`{"ok": true, "result": {...}}`); fails the test otherwise."""
    document = json.loads(output)
    assert document["ok"] is True, document
    result: dict[str, Any] = document["result"]
    return result


def payload_of(output: str) -> dict[str, Any]:
    """The typed payload of the result (e.g. the FigureTable, the origin report, the duty's totals)."""
    payload: dict[str, Any] = result_of(output)["payload"]
    return payload
