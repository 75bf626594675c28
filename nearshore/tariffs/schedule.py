"""One HTS revision in memory: lines with parsed rates, inheritance, look-up with suggestions, coverage.

Statistical (10-digit) lines carry no rates in the schedule; they take the rates of the nearest superior line
that has them (normally the 8-digit subheading), as General Note 1 and the schedule's layout intend.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nearshore.data.reference.hs import dotted, normalise
from nearshore.errors import DataNotFound, InvalidHSCode, UnknownCodeError
from nearshore.tariffs.rates import Rate, RateParseError, parse_rate
from nearshore.tariffs.special import SpecialRate, parse_special

if TYPE_CHECKING:
    from nearshore.data.store import Store

RATE_COLUMNS = ("general", "special", "column2")


@dataclass(frozen=True)
class Line:
    """An HTS line with its (possibly inherited) rates. `rates_from` is the code whose texts it carries."""

    code: str
    display: str
    description: str
    units: tuple[str, ...]
    general: Rate | None
    special: tuple[SpecialRate, ...]
    column2: Rate | None
    general_text: str
    special_text: str
    column2_text: str
    rates_from: str
    position: int


@dataclass(frozen=True)
class CoverageIssue:
    """A rate text the parser could not read, located in the schedule."""

    position: int
    code: str
    column: str
    text: str
    error: str


@dataclass(frozen=True)
class Coverage:
    revision: str
    texts: int
    parsed: int
    issues: tuple[CoverageIssue, ...]

    @property
    def share(self) -> float:
        return self.parsed / self.texts if self.texts else 1.0


@functools.lru_cache(maxsize=4096)
def _rate(text: str) -> Rate:
    return parse_rate(text)


@functools.lru_cache(maxsize=4096)
def _special(text: str) -> tuple[SpecialRate, ...]:
    return parse_special(text)


def _rated_prefix(code: str, rated: dict[str, tuple[str, str, str]]) -> str:
    """The nearest superior line (8, 6 or 4 digits) of `code` that has rates, or ''."""
    for size in (8, 6, 4):
        if size < len(code) and code[:size] in rated:
            return code[:size]
    return ""


class Schedule:
    """The lines of one HTS revision, keyed by code (digits only)."""

    def __init__(self, revision: str, rows: Iterable[Sequence[Any]]) -> None:
        """`rows`: (position, code, code_display, description, units, general, special, column2) in order."""
        self.revision = revision
        self.cache: dict[str, Any] = {}  # derived arrays (vector.line_arrays), keyed by policy
        self.lines: dict[str, Line] = {}
        issues: list[CoverageIssue] = []
        texts = 0
        rated: dict[str, tuple[str, str, str]] = {}
        for position, code, display, description, units, general, special, column2 in rows:
            if not code:
                continue
            own = (general, special, column2)
            carried = own
            parent = None
            if general:
                rated[code] = own
                source = code
            else:
                source = _rated_prefix(code, rated)
                if source:
                    # a statistical line may print only a column-2 (or special) text of its own: it overrides
                    theirs = rated[source]
                    carried = (theirs[0], special or theirs[1], column2 or theirs[2])
                    parent = self.lines[source]
                if special or column2:
                    rated[code] = carried
            parsed: list[Any] = [None, (), None]
            for i, text in enumerate(carried):
                if not text:
                    continue
                if parent is not None and not own[i]:
                    parsed[i] = (parent.general, parent.special, parent.column2)[i]
                    continue
                texts += 1
                try:
                    parsed[i] = _special(text) if i == 1 else _rate(text)
                except RateParseError as exc:
                    issues.append(CoverageIssue(position, display, RATE_COLUMNS[i], text, str(exc)))
            self.lines[code] = Line(
                code,
                display,
                description,
                tuple(filter(None, units.split(", "))) if units else (),
                parsed[0],
                parsed[1],
                parsed[2],
                *carried,
                source,
                position,
            )
        self.coverage = Coverage(revision, texts, texts - len(issues), tuple(issues))

    def __len__(self) -> int:
        return len(self.lines)

    def statistical_lines(self) -> list[Line]:
        """The 10-digit lines (the unit of trade statistics), chapters 1-97, in schedule order."""
        return [line for code, line in self.lines.items() if len(code) == 10 and code[:2] < "98"]

    def line(self, code: str) -> Line:
        """The line for an HTS code given with or without dots; unknown codes get the nearest valid ones."""
        try:
            key = normalise(code)
        except InvalidHSCode as exc:
            raise exc.locate(field="hts") from None
        found = self.lines.get(key)
        if found is not None and len(key) >= 8:
            return found
        if found is None and len(key) == 8:
            # 8-digit subheadings printed only as their 10-digit line(s), e.g. 0406.90.94 -> 0406.90.94.00
            children = [line for c, line in self.lines.items() if len(c) == 10 and c.startswith(key)]
            texts = {(c.general_text, c.special_text, c.column2_text) for c in children}
            if len(texts) == 1:
                return children[0]
        near = ", ".join(self.suggest(key)) or "none"
        if found is not None:
            raise UnknownCodeError(
                f"HTS {code!r} is a heading, not a tariff line; give an 8- or 10-digit code, e.g. {near}",
                field="hts",
                value=code,
            )
        raise UnknownCodeError(
            f"HTS {code!r} is not in HTS revision {self.revision}; nearest valid codes: {near}", field="hts", value=code
        )

    def suggest(self, key: str, limit: int = 5) -> list[str]:
        """Valid 8/10-digit codes sharing the longest prefix with `key`, nearest first."""
        for size in range(min(len(key), 10), 1, -1):
            prefix = key[:size]
            found = [c for c in self.lines if c.startswith(prefix) and len(c) >= 8]
            if found:
                target = int(key.ljust(10, "0")[:10] or 0)
                found.sort(key=lambda c: (abs(int(c.ljust(10, "0")) - target), c))
                return [dotted(c) for c in found[:limit]]
        return []


def revision_order(revision: str) -> tuple[str, int]:
    """Sort key within a vintage: '2025-basic' < '2025-rev-9' < '2025-rev-10' (numbers compared as numbers)."""
    year, _, rest = revision.partition("-")
    number = rest.rpartition("-")[2]
    return year, int(number) if rest.startswith("rev-") and number.isdigit() else -1


def load_schedule(
    store: Store, revision: str | None = None, *, as_of: str | None = None, headings: Sequence[str] | None = None
) -> Schedule:
    """The schedule of `revision` (default: the newest loaded) from the store's `hts_schedule` table, as the
    store held it at vintage `as_of` (None: the current rows); only the lines of the 4-digit `headings` when
    given (enough to price goods of those headings: a line inherits its rates from lines of its own heading).
    From a store file opened read-only, each version of the file is read once per process (a server's worker
    asks on every call; a load makes a new version)."""
    wanted = tuple(headings) if headings is not None else None
    version = _file_version(store)
    if version is None:
        return _read_schedule(store, revision, as_of, wanted)
    return _read_once(_Version(store, version), revision, as_of, wanted)


def _file_version(store: Store) -> tuple[str, int, int, int] | None:
    """Path, mtime, size and inode of a store file opened read-only (nobody can write it meanwhile); None for
    a writable or in-memory store, or a reader over some other engine (no file to version: not cached)."""
    if not getattr(store, "read_only", False) or store.path == ":memory:":
        return None
    try:
        stat = os.stat(store.path)
    except OSError:
        return None
    return (store.path, stat.st_mtime_ns, stat.st_size, stat.st_ino)


@dataclass(frozen=True, eq=False)
class _Version:
    """A store at one file version: equal (for the cache) to any store opened on the same version."""

    store: Store
    version: tuple[str, int, int, int]

    def __hash__(self) -> int:
        return hash(self.version)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Version) and other.version == self.version


@functools.lru_cache(maxsize=4)
def _read_once(at: _Version, revision: str | None, as_of: str | None, headings: tuple[str, ...] | None) -> Schedule:
    return _read_schedule(at.store, revision, as_of, headings)


def _read_schedule(store: Store, revision: str | None, as_of: str | None, headings: tuple[str, ...] | None) -> Schedule:
    from nearshore.data import query

    found = query.hts.revisions(store, as_of).rows
    known = [r[0] for r in sorted(found, key=lambda r: (str(r[1]), *revision_order(str(r[0]))), reverse=True)]
    if not known:
        when = f" as of vintage {as_of}" if as_of else ""
        raise DataNotFound(
            f"the store holds no HTS schedule{when}; load one with `nearshore data load hts PATH` "
            "(the 2025 Basic Edition is ../shared/data/raw/usitc_hts_2025/hts_2025_basic_edition.csv)"
        )
    if revision is None:
        revision = known[0]
    elif revision not in known:
        raise DataNotFound(f"HTS revision {revision!r} is not in the store; loaded revisions: {', '.join(known)}")
    return Schedule(revision, query.hts.lines(store, revision, as_of, headings).rows)


__all__ = ["Coverage", "CoverageIssue", "Line", "Schedule", "load_schedule", "revision_order"]
