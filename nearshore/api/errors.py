"""Errors as HTTP answers: every failure is the one JSON envelope (`{"ok": false, "error": {...}}`) with a status
chosen from the error's class, and nothing of the server's internals (no traceback, no path, no secret).

    status  errors
    400     InputError and its kin not listed below (a bad option, an unknown code, a used link)
    401     AccessError (no API key, or a wrong or revoked one)
    404     DataNotFound (the store lacks what was asked), NoRuleError, an unknown path
    409     OriginError (a certificate for a good that does not qualify), a brief that failed verification
    413     BodyTooLarge
    422     a request the schema refuses (FastAPI's validation), an uploaded file with located problems
            (SourceFormatError and below), a model that did not converge
    429     RateLimited, SignupLimited (with Retry-After)
    500     anything nearshore did not raise on purpose (logged with a reference, answered without details)
    503     ConfigError (the server is not set up for this), StoreError (locked or unreadable), FetchError,
            LLMError, DeliveryError (mail server, newsletter database)
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from nearshore import errors
from nearshore.services.envelope import envelope

log = logging.getLogger("nearshore.api")

# most specific first: a class's status is that of the first entry it is an instance of
STATUS: tuple[tuple[type[errors.NearshoreError], int], ...] = (
    (errors.RateLimited, 429),
    (errors.BodyTooLarge, 413),
    (errors.AccessError, 401),
    (errors.SignupLimited, 429),
    (errors.SubscriberStoreError, 503),
    (errors.NoRuleError, 404),
    (errors.DataNotFound, 404),
    (errors.SourceFormatError, 422),
    (errors.InputError, 400),
    (errors.OriginError, 409),
    (errors.VerificationFailed, 409),
    (errors.NotConverged, 422),
    (errors.ConfigError, 503),
    (errors.StoreError, 503),
    (errors.FetchError, 503),
    (errors.LLMError, 503),
    (errors.DeliveryError, 503),
)


def status_of(exc: errors.NearshoreError) -> int:
    """The HTTP status for a nearshore error (see the module docstring); 500 for a bare NearshoreError."""
    return next((status for kind, status in STATUS if isinstance(exc, kind)), 500)


def headers_of(exc: errors.NearshoreError) -> dict[str, str]:
    if isinstance(exc, errors.RateLimited):
        return {"Retry-After": str(max(1, round(exc.retry_after)))}
    if isinstance(exc, errors.SignupLimited):
        return {"Retry-After": "3600"}
    if isinstance(exc, errors.AccessError) and not isinstance(exc, errors.BodyTooLarge):
        return {"WWW-Authenticate": 'Bearer realm="nearshore"'}
    return {}


def error_response(exc: errors.NearshoreError, status: int | None = None) -> JSONResponse:
    return JSONResponse(envelope(error=exc), status_code=status or status_of(exc), headers=headers_of(exc))


def _validation_error(problems: list[dict[str, Any]]) -> errors.InputError:
    """FastAPI's validation problems as one InputError: the first problem's field and value, all of them listed."""
    first = problems[0] if problems else {}
    where = [str(part) for part in first.get("loc", ()) if part not in ("query", "body", "path", "header")]

    def line(problem: dict[str, Any]) -> str:
        at = ".".join(str(p) for p in problem.get("loc", ()) if p not in ("query", "body", "path", "header"))
        return f"{at or 'request'}: {problem.get('msg', 'invalid')}"

    value = first.get("input")
    return errors.InputError(
        "the request does not match the API's schema: " + "; ".join(line(p) for p in problems[:10]),
        field=".".join(where) or None,
        value=value if isinstance(value, (str, int, float)) else None,
        hint="see /docs (or /openapi.json) for each parameter's type and allowed values",
    )


def install(app: FastAPI) -> None:
    """Answer every error with the envelope: nearshore's errors, schema validation, unknown paths, crashes."""

    @app.exception_handler(errors.NearshoreError)
    async def nearshore_error(request: Request, exc: errors.NearshoreError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(_validation_error(list(exc.errors())), 422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http")
        error = errors.NearshoreError(
            "no such endpoint; /docs lists them" if exc.status_code == 404 else str(exc.detail)
        )
        body = envelope(error=error)
        body["error"]["code"] = code
        return JSONResponse(body, status_code=exc.status_code, headers=dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> JSONResponse:
        return crash_response(request, exc)


def crash_response(request: Request, exc: Exception) -> JSONResponse:
    """A bug's answer: 500 with a reference the log line carries too, and no detail of the error."""
    reference = secrets.token_hex(6)
    log.error("unexpected error %s on %s %s", reference, request.method, request.url.path, exc_info=exc)
    error = errors.NearshoreError(
        f"internal error (reference {reference}); the server's log has the details",
        hint="report the reference to the server's operator",
    )
    return error_response(error, 500)


__all__ = ["STATUS", "crash_response", "error_response", "headers_of", "install", "status_of"]
