"""API keys for `nearshore serve`: made once and shown once, kept only as SHA-256 digests, checked in constant
time.

A key reads `nsk_<id>_<secret>`: the id (8 hex digits) names the record, the secret (256 random bits) is what
is hashed. The file (setting `api_keys_file`, default `<data_dir>/api-keys.json`, mode 0600) holds, per key,
its id, name, digest, creation and revocation times, never the key. Changes are written atomically under a
lock file; readers (the server's workers) reread the file when it changes, so a revoked key stops working on
the next call without a restart.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from nearshore.errors import ConfigError, InputError
from nearshore.settings import Settings

PREFIX = "nsk"
_KEY = re.compile(rf"^{PREFIX}_([0-9a-f]{{8}})_([A-Za-z0-9_-]{{43}})$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_NO_DIGEST = hashlib.sha256(b"no such key").hexdigest()


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class KeyRecord:
    """One key as stored: never the key itself."""

    id: str
    name: str
    created: str
    revoked: str | None = None
    digest: str = field(default="", repr=False)

    @property
    def active(self) -> bool:
        return self.revoked is None

    def as_dict(self) -> dict[str, str | None]:
        """What may be shown: id, name, times, status (not the digest)."""
        status = "active" if self.active else "revoked"
        return {"id": self.id, "name": self.name, "created": self.created, "revoked": self.revoked, "status": status}


@dataclass(frozen=True)
class NewKey:
    """A key just made: the only time its text exists outside the caller's hands."""

    id: str
    name: str
    created: str
    key: str = field(repr=False)


def key_file(settings: Settings) -> Path:
    return settings.path("api_keys_file") or settings.data_dir() / "api-keys.json"


class KeyStore:
    """The API keys in one file (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def from_settings(cls, settings: Settings) -> KeyStore:
        return cls(key_file(settings))

    def records(self) -> tuple[KeyRecord, ...]:
        """Every key ever made, revoked ones included, oldest first (reread when the file changed)."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return ()
        return _read(str(self.path), (stat.st_mtime_ns, stat.st_size, stat.st_ino))

    def create(self, name: str) -> NewKey:
        """Make a key called `name` (letters, digits, '.', '_', '-'; unique among active keys)."""
        if not _NAME.match(name):
            raise InputError(
                f"API key name {name!r} is not allowed; use 1 to 64 letters, digits, '.', '_' or '-', "
                "starting with a letter or digit",
                field="name",
                value=name,
            )
        with self._locked() as records:
            if any(r.name == name and r.active for r in records):
                raise InputError(
                    f"an active API key is already called {name!r}; revoke it first or choose another name",
                    field="name",
                    value=name,
                )
            taken = {r.id for r in records}
            key_id = next(i for i in iter(lambda: secrets.token_hex(4), None) if i not in taken)
            secret = secrets.token_urlsafe(32)
            created = datetime.now(UTC).isoformat(timespec="seconds")
            records.append(KeyRecord(key_id, name, created, None, _digest(secret)))
        return NewKey(key_id, name, created, f"{PREFIX}_{key_id}_{secret}")

    def revoke(self, ref: str) -> KeyRecord:
        """Revoke the active key with id or name `ref` (revoking a revoked key is an error naming it)."""
        with self._locked() as records:
            for index, record in enumerate(records):
                if ref in (record.id, record.name) and record.active:
                    records[index] = replace(record, revoked=datetime.now(UTC).isoformat(timespec="seconds"))
                    return records[index]
        raise InputError(
            f"no active API key with id or name {ref!r}; `nearshore api-key list` shows them",
            field="key",
            value=ref,
        )

    def verify(self, key: str) -> KeyRecord | None:
        """The active record `key` belongs to, or None. The digest comparison takes the same time whether or not
        the id exists, and the key's text is never kept or shown."""
        found = _KEY.match(key.strip())
        key_id, secret = (found.group(1), found.group(2)) if found else ("", "x")
        record = next((r for r in self.records() if r.id == key_id and r.active), None)
        good = hmac.compare_digest(_digest(secret), record.digest if record else _NO_DIGEST)
        return record if good and record is not None else None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[list[KeyRecord]]:
        """The records to change, written back atomically (mode 0600) when the block ends without an error."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = open(self.path.with_name(self.path.name + ".lock"), "a")  # noqa: SIM115  # closed below
        except OSError as exc:
            raise ConfigError(
                f"cannot write the API key file {self.path}: {exc.strerror or exc}; point NEARSHORE_API_KEYS_FILE "
                "at a file you can write"
            ) from None
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            records = list(self.records())
            yield records
            _write(self.path, records)


@functools.lru_cache(maxsize=8)
def _read(path: str, signature: tuple[int, int, int]) -> tuple[KeyRecord, ...]:
    """The records in the file as it is at `signature` (mtime, size, inode): read once per change."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return tuple(
            KeyRecord(str(k["id"]), str(k["name"]), str(k["created"]), k.get("revoked"), str(k["digest"]))
            for k in data["keys"]
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"the API key file {path} cannot be read ({type(exc).__name__}); restore it from a backup or move it "
            "aside and make new keys with `nearshore api-key create NAME`",
            file=path,
        ) from None


def _write(path: Path, records: list[KeyRecord]) -> None:
    document = {
        "keys": [
            {"id": r.id, "name": r.name, "created": r.created, "revoked": r.revoked, "digest": r.digest}
            for r in records
        ]
    }
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(document, out, indent=2)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


__all__ = ["PREFIX", "KeyRecord", "KeyStore", "NewKey", "key_file"]
