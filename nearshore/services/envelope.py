"""The one JSON envelope for results and errors, used by the CLI's `--format json` and by the HTTP API.

    success   {"ok": true,  "result": {title, columns, rows, notes, provenance, messages, payload}}
    error     {"ok": false, "error": {code, message, file, row, field, value, hint, exit_code}}
    both      {"ok": false, "result": {...}, "error": {...}}   the work ran but its outcome is a failure
              (Result.error: a brief with unsupported figures, fetch periods that failed)

The error body is the error's `to_dict()` (nearshore/errors.py): its class's stable `code` and `exit_code`,
the message, and `file`, `row`, `field`, `value`, `hint` (None when unknown). Secrets never appear: the message
is the exception's own text, which nearshore writes without keys.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from nearshore.errors import NearshoreError
from nearshore.services.base import Result
from nearshore.services.plain import plain

ERROR_FIELDS = ("code", "message", "file", "row", "field", "value", "hint", "exit_code")


def error_body(exc: NearshoreError) -> dict[str, Any]:
    """{code, message, file, row, field, value, hint, exit_code}: the error's own `to_dict()`, as JSON."""
    body: dict[str, Any] = plain(exc.to_dict())
    return body


def envelope(result: Result[Any] | None = None, error: NearshoreError | None = None) -> dict[str, Any]:
    """The document for a result, an error, or a result whose outcome is an error (Result.error)."""
    error = error if error is not None else (result.error if result is not None else None)
    out: dict[str, Any] = {"ok": error is None}
    if result is not None:
        out["result"] = result.to_dict()
    if error is not None:
        out["error"] = error_body(error)
    return out


def dumps(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2)


__all__ = ["ERROR_FIELDS", "dumps", "envelope", "error_body", "plain"]
