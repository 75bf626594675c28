"""The one writer path for the trade store: a call that writes it (`data load`, `tariff schedule --load`) runs
the command line in a child process, `python -m nearshore <command> <options> --format json`, with the
worker's settings in its environment, and answers with the envelope the command prints. Workers only ever
open the store read-only; the child takes the write lock when no read holds the file (waiting up to
lock_timeout, then failing with a StoreError the caller sees as 503)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from nearshore import errors
from nearshore.services.base import Service
from nearshore.services.fields import specs
from nearshore.settings import SETTINGS, Settings

TIMEOUT = 600.0  # seconds a load may take before the call gives up (the child is then stopped)


def argv(svc: Service[Any, Any], request: Any) -> list[str]:
    """The command line that makes the same request: the command's words, then each field given."""
    words = svc.name.split(".")
    out: list[str] = []
    for spec in specs(svc.request):
        value = getattr(request, spec.name)
        if spec.param.argument:
            out.append(str(value))
            continue
        if value is None or value == spec.default:
            continue
        flag = next(f for f in spec.flags if f.startswith("--"))
        on, _, off = flag.partition("/")
        if isinstance(value, bool):
            out.append(on if value else off)
        elif isinstance(value, tuple):
            for item in value:
                out += [on, str(item)]
        else:
            out += [on, str(value)]
    return [*words, *out]


def environment(settings: Settings) -> dict[str, str]:
    """The process environment with every setting as the worker has it (the child reads the same values)."""
    env = dict(os.environ)
    for s in SETTINGS:
        if s.type in ("str", "secret"):
            value: object = settings.get(s.name)
        elif s.type == "int":
            value = settings.integer(s.name)
        elif s.type == "float":
            value = settings.number(s.name)
        elif s.type == "bool":
            value = "true" if settings.flag(s.name) else "false"
        else:
            value = settings.path(s.name) or ""
        env[s.env] = str(value)
    return env


def _error_class(code: str) -> type[errors.NearshoreError]:
    """The error class with `code` (the envelope names it), NearshoreError when none does."""
    pending: list[type[errors.NearshoreError]] = [errors.NearshoreError]
    while pending:
        kind = pending.pop()
        if kind.code == code:
            return kind
        pending += kind.__subclasses__()
    return errors.NearshoreError


def rebuilt_error(body: dict[str, Any]) -> errors.NearshoreError:
    """The child's error envelope as an error of the same class (for its HTTP status)."""
    kind = _error_class(str(body.get("code", "")))
    error = errors.NearshoreError.__new__(kind)
    errors.NearshoreError.__init__(
        error,
        str(body.get("message", "")),
        file=body.get("file"),
        row=body.get("row"),
        field=body.get("field"),
        value=body.get("value"),
        hint=body.get("hint"),
    )
    if isinstance(error, errors.RateLimited):
        error.retry_after = 1.0
    return error


def run_command(settings: Settings, svc: Service[Any, Any], request: Any, cwd: Path) -> dict[str, Any]:
    """Run the request's command in a child process; its JSON envelope (an error envelope when it failed)."""
    command = [sys.executable, "-m", "nearshore", *argv(svc, request), "--format", "json", "--quiet"]
    try:
        done = subprocess.run(
            command, env=environment(settings), cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        raise errors.StoreError(
            f"the {svc.name} call did not finish in {TIMEOUT:g} s and was stopped; nothing was changed",
            hint="run the load on the server with the command line",
        ) from None
    try:
        document: dict[str, Any] = json.loads(done.stdout)
    except ValueError:
        raise errors.StoreError(
            f"the {svc.name} call failed (exit code {done.returncode}) without an answer",
            hint="the server's operator can run the same command on the server to see why",
        ) from None
    return document


__all__ = ["TIMEOUT", "argv", "environment", "rebuilt_error", "run_command"]
