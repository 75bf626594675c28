"""Files a caller sends, and files a service writes, kept in a private temporary folder for one call.

An HTTP caller never names a path on the server: a request field that is an input file (a BOM, a batch, a
panel file) arrives as an uploaded part, saved under its own base name (letters, digits, '.', '_', '-' only)
in a fresh folder; an output (a Parquet panel, a PDF certificate) is written there and sent back. The folder
is removed when the call ends, and its path is taken out of every answer (`scrub`), so an error still names
`bom.yaml, line 3` but never the server's folders.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from nearshore.errors import InputError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str | None, fallback: str) -> str:
    """The upload's base name reduced to safe characters (its suffix says the format), or `fallback`."""
    base = _UNSAFE.sub("_", Path(name or "").name).strip("._")[:100]
    return base or fallback


class Workspace:
    """A temporary folder for one call (use as a context manager)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="nearshore-api-"))
        self.aliases: dict[str, str] = {}

    def alias(self, folder: Path, shown: str) -> Path:
        """Show paths under the server's `folder` as `shown` (a URL) in this call's answers; the folder."""
        self.aliases[str(folder)] = shown
        return folder

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def save(self, source: BinaryIO, name: str | None, fallback: str, folder: str = "") -> Path:
        """Write an uploaded file into the workspace (into `folder` when given); its path."""
        where = self.root / folder if folder else self.root
        where.mkdir(parents=True, exist_ok=True)
        path = where / safe_name(name, fallback)
        if path.exists():
            raise InputError(
                f"two uploaded files are both called {path.name!r}; give each file its own name",
                field=fallback,
                value=path.name,
            )
        with path.open("wb") as out:
            shutil.copyfileobj(source, out)
        return path

    def path(self, name: str) -> Path:
        """A path inside the workspace for a service's output."""
        return self.root / name

    def scrub(self, document: dict[str, Any]) -> dict[str, Any]:
        """`document` with the workspace's path taken out of every string (paths become relative names)."""
        text = json.dumps(document)
        swaps = [(str(self.root) + "/", ""), (str(self.root), ""), *self.aliases.items()]
        for old, new in swaps:
            text = text.replace(json.dumps(old)[1:-1], json.dumps(new)[1:-1])
        scrubbed: dict[str, Any] = json.loads(text)
        return scrubbed


__all__ = ["Workspace", "safe_name"]
