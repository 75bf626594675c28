"""The one JSON envelope for results and errors, used by the CLI's `--format json` and by the HTTP API.

    success   {"ok": true,  "result": {title, columns, rows, notes, provenance, messages, payload}}
    error     {"ok": false, "error": {code, message, file, row, field, value, hint, exit_code}}
    both      {"ok": false, "result": {...}, "error": {...}}   the work ran but its outcome is a failure
              (Result.error: a brief with unsupported figures, fetch periods that failed)

The error body comes from the exception's structured fields: a class-level `code` (a stable snake_case
string) and `exit_code`, and `file`, `row`, `field`, `value`, `hint` (None when unknown). An error without
a `code` is named after its class (`InvalidBOM` -> `invalid_bom`). Secrets never appear: the message is the
exception's own text, which nearshore writes without keys.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from nearshore.services.base import Result

ERROR_FIELDS = ("code", "message", "file", "row", "field", "value", "hint", "exit_code")


def plain(value: Any) -> Any:
    """`value` as JSON-ready data: dataclasses and objects with `to_dict()`/`as_dict()` as mappings, tuples as
    lists, dates as ISO text, paths and other objects as text, NaN and infinities as null."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    for method in ("to_dict", "as_dict"):
        if callable(getattr(value, method, None)):
            return plain(getattr(value, method)())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return str(value)


def error_code(exc: BaseException) -> str:
    """The stable code of an error: its class's `code`, else its class name in snake_case."""
    code = getattr(type(exc), "code", None)
    if isinstance(code, str) and code:
        return code
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", type(exc).__name__).lower()


def error_body(exc: BaseException) -> dict[str, Any]:
    """{code, message, file, row, field, value, hint, exit_code} from the exception's structured fields."""
    given: Mapping[str, Any] = {}
    to_dict = getattr(exc, "to_dict", None)
    if callable(to_dict):
        given = to_dict()
    problem = getattr(exc, "problem", None)  # SourceFormatError's first located problem
    fallback = {
        "file": getattr(problem, "file", None),
        "row": getattr(problem, "row", None),
        "field": getattr(problem, "column", None),
        "value": getattr(problem, "value", None),
        "hint": getattr(problem, "fix", None) or None,
    }
    body: dict[str, Any] = {}
    for name in ERROR_FIELDS:
        if name in given:
            body[name] = given[name]
        elif name == "code":
            body[name] = error_code(exc)
        elif name == "message":
            body[name] = str(exc)
        elif name == "exit_code":
            body[name] = getattr(exc, "exit_code", 1)
        else:
            body[name] = getattr(exc, name, None) if hasattr(exc, name) else fallback[name]
    return plain(body)  # type: ignore[no-any-return]


def envelope(result: Result[Any] | None = None, error: BaseException | None = None) -> dict[str, Any]:
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


__all__ = ["ERROR_FIELDS", "dumps", "envelope", "error_body", "error_code", "plain"]
