"""API keys for `nearshore serve` as services: make one (shown once), list them, revoke one. They run on the
server's machine only: the HTTP API offers none of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from nearshore.services.base import Context, Result, columns, service
from nearshore.services.fields import Request, arg

if TYPE_CHECKING:
    from nearshore.auth.keys import KeyRecord, NewKey

KEY_COLUMNS = ("id", "name", "status", "created", "revoked")


@dataclass(frozen=True, kw_only=True)
class KeyCreateRequest(Request):
    name: Annotated[str, arg("A name for the key: who or what uses it (letters, digits, '.', '_', '-').")]


@service("api-key.create", KeyCreateRequest, store="none", writes=True)
def create(ctx: Context, r: KeyCreateRequest) -> Result[NewKey]:
    """Make an API key for the HTTP API's writes; the key is shown once and stored only as a hash."""
    from nearshore.auth.keys import KeyStore

    made = KeyStore.from_settings(ctx.settings).create(r.name)
    return Result(
        f"API key {made.name} ({made.id}) made; it is shown once: keep it now",
        columns("id", "name", "created"),
        ((made.id, made.name, made.created),),
        made,
        ("send it as the header 'Authorization: Bearer KEY' (or 'X-API-Key: KEY')",),
    )


@dataclass(frozen=True, kw_only=True)
class KeyListRequest(Request):
    pass


def _rows(records: tuple[KeyRecord, ...] | list[KeyRecord]) -> tuple[tuple[str | None, ...], ...]:
    return tuple(tuple(r.as_dict()[c] for c in KEY_COLUMNS) for r in records)


@service("api-key.list", KeyListRequest, store="none")
def listing(ctx: Context, r: KeyListRequest) -> Result[list[dict[str, str | None]]]:
    """The API keys made on this machine: id, name, active or revoked (never the keys)."""
    from nearshore.auth.keys import KeyStore

    records = KeyStore.from_settings(ctx.settings).records()
    active = sum(1 for k in records if k.active)
    return Result(
        "API keys",
        columns(*KEY_COLUMNS),
        _rows(records),
        [k.as_dict() for k in records],
        (f"{active} active, {len(records) - active} revoked",),
    )


@dataclass(frozen=True, kw_only=True)
class KeyRevokeRequest(Request):
    key: Annotated[str, arg("The id or name of the key to revoke.")]


@service("api-key.revoke", KeyRevokeRequest, store="none", writes=True)
def revoke(ctx: Context, r: KeyRevokeRequest) -> Result[dict[str, str | None]]:
    """Revoke an API key: calls with it are refused (401) from the next request on."""
    from nearshore.auth.keys import KeyStore

    record = KeyStore.from_settings(ctx.settings).revoke(r.key)
    return Result(
        f"API key {record.name} ({record.id}) revoked", columns(*KEY_COLUMNS), _rows([record]), record.as_dict()
    )


__all__ = ["KeyCreateRequest", "KeyListRequest", "KeyRevokeRequest", "create", "listing", "revoke"]
