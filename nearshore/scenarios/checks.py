"""Reading the YAML files of the scenario engines (tariff scenarios, rule changes): every problem is collected and
located by file and key path (`changes[0].set_rate.rate`) with the value and the fix, then reported at once; an
engine runs only on a file without problems."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, Final

import yaml

from nearshore.data.sources.base import require_file
from nearshore.errors import Problem, ValidationFailed

LOADER: Final = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present
_TIMESTAMP: Final = "tag:yaml.org,2002:timestamp"


class _TextDates(LOADER):  # type: ignore[misc, valid-type]
    """Dates stay texts, so that a bad one (2026-13-01) is a located problem of the engine's date check."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, Any]]]] = {
        first: [r for r in resolvers if r[0] != _TIMESTAMP]
        for first, resolvers in LOADER.yaml_implicit_resolvers.items()
    }


class FileChecker:
    """The problems of one file; `outcome` says what did not happen because of them."""

    def __init__(self, source: str, outcome: str) -> None:
        self.source = source
        self.outcome = outcome
        self.problems: list[Problem] = []

    def add(self, where: str, value: Any, message: str, fix: str) -> None:
        shown = None if value is None else str(value)
        self.problems.append(Problem(self.source, None, where, shown, message, fix, by="line"))

    def done(self) -> None:
        """Raise ValidationFailed listing every problem, if there is one."""
        if self.problems:
            raise ValidationFailed(self.problems, outcome=self.outcome)

    def keys(self, raw: Any, allowed: Sequence[str], where: str, required: Sequence[str] = ()) -> bool:
        """Whether `raw` is a mapping with only `allowed` keys and every `required` one."""
        if not isinstance(raw, Mapping):
            self.add(where, raw, "is not a mapping", f"give key: value pairs ({', '.join(allowed)})")
            return False
        ok = True
        for key in raw:
            if key not in allowed:
                self.add(f"{where}.{key}", raw[key], "is not a known key", f"the keys are {', '.join(allowed)}")
                ok = False
        for key in required:
            if key not in raw:
                self.add(f"{where}.{key}", None, "is missing", f"give {key}")
                ok = False
        return ok

    def number(self, raw: Any, where: str, low: float, high: float, example: str) -> float | None:
        """A number within [low, high], else None with the problem noted."""
        fix = f"write a number from {low:g} to {high:g}, e.g. {example}"
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or math.isnan(raw):
            self.add(where, raw, "is not a number", fix)
            return None
        if not low <= raw <= high:
            self.add(where, raw, "is out of range", fix)
            return None
        return float(raw)

    def flag(self, raw: Any, where: str) -> bool | None:
        if not isinstance(raw, bool):
            self.add(where, raw, "is not true or false", "write true or false")
            return None
        return raw

    def text(self, raw: Any, where: str) -> str | None:
        if not isinstance(raw, str) or not raw.strip():
            self.add(where, raw, "is not a text", "write it in words (quote it if YAML reads it as a number)")
            return None
        return raw.strip()


def read_yaml(path: Path, outcome: str) -> tuple[Any, str]:
    """The document in `path` and the sha256 of its bytes; a file that is not YAML is a located problem."""
    require_file(path)
    raw = path.read_bytes()
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=_TextDates)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        problem = Problem(str(path), None, None, None, f"cannot be parsed as YAML: {exc}", "fix the syntax")
        raise ValidationFailed([problem], outcome=outcome) from None
    return data, hashlib.sha256(raw).hexdigest()


__all__ = ["LOADER", "FileChecker", "read_yaml"]
