"""The envelope as OpenAPI models, for the schema at /openapi.json (the documents themselves are built by
nearshore.services.envelope)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    code: str = Field(description="Stable error code, e.g. input, data_not_found, invalid_bom, access.")
    message: str = Field(description="What is wrong, where, the value and the fix, in words.")
    file: str | None = None
    row: int | None = None
    field: str | None = None
    value: str | None = None
    hint: str | None = None
    exit_code: int = Field(description="The exit code the command line gives for the same error.")


class Column(BaseModel):
    name: str
    unit: str | None
    label: str
    decimals: int | None


class Provenance(BaseModel):
    sources: list[str]
    vintages: list[str]
    sql: str | None


class ResultBody(BaseModel):
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]] = Field(description="One object per row, keyed by column label.")
    notes: list[str]
    provenance: Provenance
    messages: list[str]
    payload: Any = Field(description="The service's typed result (see docs/architecture.md).")


class Envelope(BaseModel):
    """{"ok": true, "result": ...} or {"ok": false, "error": ...} (both when the work ran but failed)."""

    ok: bool
    result: ResultBody | None = None
    error: ErrorBody | None = None


STATUSES = {
    400: "Bad input: an option, a code, a token",
    401: "An API key is needed, or the one sent is wrong or revoked",
    404: "The store lacks what was asked",
    409: "A certificate for a good that does not qualify; a brief that failed verification",
    413: "The body is larger than the server accepts",
    422: "The request does not match the schema, or an uploaded file has problems",
    429: "Too many calls; see Retry-After",
    503: "The server is not set up for this, or the store or a service it needs is unavailable",
}
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": Envelope, "description": "The result (format=csv: its rows as CSV)"},
    **{code: {"model": Envelope, "description": text} for code, text in STATUSES.items()},
}

__all__ = ["RESPONSES", "STATUSES", "Envelope", "ErrorBody", "ResultBody"]
