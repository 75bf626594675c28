"""What one server worker holds and how it runs a service.

A worker (one uvicorn process) loads its settings once, warms the tariff schedule, the policy file and the
rule book once (each cached per process: `tariffs.load_schedule` per version of the store file,
`load_policy`, `shipped_rules`), and keeps the store open read-only while calls come, each call reading
through its own cursor (nearshore.api.reader: reopened when the file's version changes, let go after a second
without calls). The one writer path for the trade store is the command line: a call that loads data runs
`nearshore ... --format json` in a child process while the worker lets go of the store; the child takes the
write lock when no reader holds the file (waiting up to lock_timeout), so no worker ever holds the store open
for writing.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nearshore._version import __version__
from nearshore.api.answers import AnswerCache
from nearshore.api.guard import Limiter
from nearshore.api.reader import SharedReader
from nearshore.auth.keys import KeyStore
from nearshore.errors import NearshoreError
from nearshore.services.base import Context, Result, Service, open_context
from nearshore.settings import Settings

log = logging.getLogger("nearshore.api")


@dataclass
class Worker:
    """One worker's settings, key file, rate limiters, where generated briefs are kept, its store reader and
    the answers it keeps (nearshore.api.answers)."""

    settings: Settings
    keys: KeyStore
    by_ip: Limiter
    by_key: Limiter
    briefs_dir: Path
    reader: SharedReader
    answers: AnswerCache = field(default_factory=AnswerCache)
    warmed: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, settings: Settings) -> Worker:
        return cls(
            settings,
            KeyStore.from_settings(settings),
            Limiter(settings.integer("api_rate_ip")),
            Limiter(settings.integer("api_rate_key")),
            settings.path("api_briefs_dir") or settings.data_dir() / "briefs",
            SharedReader(settings),
        )

    def warm(self) -> None:
        """Load the schedule, policy and rule book now, so the first calls are as fast as the rest; what the
        store lacks (no HTS loaded) is left for the calls that need it to report."""
        from nearshore import tariffs
        from nearshore.origin.rules.index import shipped_rules

        tariffs.load_policy()
        self.warmed.append("policy")
        shipped_rules()
        self.warmed.append("rules")
        try:
            with self.reader.cursor() as store:
                tariffs.load_schedule(store)
            self.warmed.append("schedule")
        except NearshoreError as exc:
            log.warning("the tariff schedule was not preloaded: %s", exc)

    def store_version(self) -> str:
        """A short tag of the store file's current version ('' for an in-memory store or a missing file)."""
        path = self.settings.db_path()
        try:
            stat = os.stat(path)
        except OSError:
            return ""
        return f"{stat.st_mtime_ns:x}-{stat.st_size:x}-{stat.st_ino:x}"

    def etag(self, *parts: str) -> str:
        """A strong ETag over the package version, the store version and the call's own parts."""
        text = "\n".join((__version__, self.store_version(), *parts))
        return '"' + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32] + '"'

    def run(self, svc: Service[Any, Any], request: Any, client: str | None = None) -> Result[Any]:
        """Call a service in this worker: a cursor of the worker's read-only store for reads, no store for
        services that read none. Store writes never come here (see writer.run_command)."""
        access = svc.access(request)
        if access == "write":
            raise RuntimeError(f"{svc.name} writes the store: run it through nearshore.api.writer")
        if access == "read":
            with self.reader.cursor() as store:
                return svc(Context(self.settings, store, client=client), request)
        with open_context(access, settings=self.settings, client=client) as ctx:
            return svc(ctx, request)


__all__ = ["Worker"]
