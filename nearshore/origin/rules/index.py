"""The shipped rules, users' rule files, the index from HS code to rule, and the coverage report.

`rules_for("8708.29")` returns the rules that govern a code, most specific scope first:
GN 11(o) interpretative note (b) puts a tariff-item rule before the rule of its parent subheading
or heading, so among the rules whose scope contains the code only those with the longest matching
code (then the narrowest range) are returned. Several rules can share a scope (use variants such as
"for use in a heavy truck", phases, trade directions); all of them are returned.
Rules for codes more precise than the query (tariff-item rules under a 6-digit code) are not
returned (they govern only goods of those items); `narrower_rules` lists them.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nearshore.data.reference.hs import dotted, normalise
from nearshore.errors import NoRuleError, Problem, RuleFileError
from nearshore.origin.json_scan import object_with_lines
from nearshore.origin.rules.build import FORMAT, SHIPPED, RuleSet
from nearshore.origin.rules.model import CodeRange, ProductRule
from nearshore.origin.rules.serial import rule_from_json

MISSING_CHAPTERS = {"64", "65", "66", "67"}


@dataclass(frozen=True)
class UnparsedRule:
    id: str
    citation: str
    reason: str
    text: str


@dataclass(frozen=True)
class Report:
    """Parse coverage of a rule book: how many of the source rules were read into structure."""

    total: int
    parsed: int
    psr_total: int
    psr_parsed: int
    notes: int
    mechanical_alternatives: int
    alternatives: int
    unparsed: tuple[UnparsedRule, ...]
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def coverage(self) -> float:
        """Share of the source rules parsed into structure, in percent."""
        return 100.0 * self.parsed / self.total if self.total else 0.0

    columns = ("id", "citation", "reason", "text")

    def rows(self) -> list[tuple[str, str, str, str]]:
        """One row per unparsed rule, for a table."""
        return [(u.id, u.citation, u.reason, u.text) for u in self.unparsed]

    def summary(self) -> list[str]:
        files = ", ".join(f"{name} (sha256 {digest[:12]})" for name, digest in self.provenance.get("files", {}).items())
        return [
            f"parsed into structure: {self.parsed} of {self.total} rules ({self.coverage:.1f}%)",
            f"product-specific rules: {self.psr_parsed} of {self.psr_total}; "
            f"chapter/heading/subheading notes kept as text: {self.notes}",
            f"alternatives checkable from codes and values alone: {self.mechanical_alternatives} "
            f"of {self.alternatives}",
            "not in the source: chapters 64-67 (footwear, headgear, umbrellas, feathers)",
            f"source: {files or 'user rules'}; built {self.provenance.get('built', '?')}",
        ]

    def __str__(self) -> str:
        lines = self.summary()
        lines += [f"  {u.id} ({u.citation}): {u.reason}" for u in self.unparsed]
        return "\n".join(lines)


@dataclass(frozen=True)
class RuleBook:
    """A set of rules with its provenance, indexed by code. User rules win ties with shipped ones."""

    rules: tuple[ProductRule, ...]
    provenance: dict[str, Any] = field(default_factory=dict)
    user_ids: frozenset[str] = frozenset()

    def with_rules(self, extra: Iterable[ProductRule]) -> RuleBook:
        """A new book with `extra` (e.g. from `load_rule_file`) added; they take precedence at equal scope."""
        extra = tuple(extra)
        return RuleBook(self.rules + extra, self.provenance, self.user_ids | {r.id for r in extra})

    @functools.cached_property
    def _by_chapter(self) -> dict[str, list[ProductRule]]:
        index: dict[str, list[ProductRule]] = {}
        for rule in self.rules:
            chapters = {f"{c:02d}" for r in rule.scope for c in range(int(r.start[:2]), int(r.end[:2]) + 1)}
            for chapter in sorted(chapters):
                index.setdefault(chapter, []).append(rule)
        return index

    @functools.cached_property
    def _memo(self) -> dict[str, list[ProductRule]]:
        return {}

    def _matches(self, digits: str) -> list[tuple[ProductRule, CodeRange]]:
        out = []
        for rule in self._by_chapter.get(digits[:2], []):
            if rule.is_note:
                continue
            for r in rule.scope:
                if r.contains(digits):
                    out.append((rule, r))
                    break
        return out

    def rules_for(self, hs: str) -> list[ProductRule]:
        """The rule(s) governing an HS code (6, 8 or 10 digits, dots allowed); raises NoRuleError if none."""
        digits = normalise(hs)
        if digits in self._memo:
            return list(self._memo[digits])
        governing: list[tuple[tuple[int, int, int], ProductRule]] = []
        narrower: list[ProductRule] = []
        for rule, r in self._matches(digits):
            if len(r.start) > len(digits):
                narrower.append(rule)
                continue
            width = int(r.end) - int(r.start)
            governing.append(((len(r.start), -width, rule.id in self.user_ids), rule))
        if not governing:
            raise NoRuleError(dotted(digits), self._why_none(digits, narrower))
        best = max(key for key, _ in governing)
        result = [rule for key, rule in governing if key == best]
        self._memo[digits] = result
        return list(result)

    def narrower_rules(self, hs: str) -> list[ProductRule]:
        """Rules for codes inside `hs` that are more precise than it (tariff-item rules under a
        6-digit code); they govern only goods of those items, so `rules_for` leaves them out."""
        digits = normalise(hs)
        return [rule for rule, r in self._matches(digits) if len(r.start) > len(digits)]

    def notes_for(self, hs: str) -> list[ProductRule]:
        """Chapter, heading, subheading and section notes whose scope covers the code."""
        digits = normalise(hs)
        return [rule for rule in self._by_chapter.get(digits[:2], []) if rule.is_note and rule.covers(digits)]

    def _why_none(self, digits: str, narrower: Sequence[ProductRule] = ()) -> str:
        chapter = digits[:2]
        if narrower:
            names = list(dict.fromkeys(r.scope_text for r in narrower))
            items = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
            return f"only rules for narrower codes exist ({items}); give the full tariff item"
        if chapter in MISSING_CHAPTERS:
            return (
                f"chapter {chapter} is missing from the transcribed General Note 11 the rules are built from "
                "(chapters 64-67 are not in the source); add the rule from HTSUS GN 11(o) in a rule file"
            )
        if chapter in ("77", "98", "99") or not "01" <= chapter <= "97":
            return f"chapter {chapter} has no product-specific rules in GN 11(o)"
        return f"no rule in chapter {chapter} covers this code (check the code; the transcription may have left it out)"

    def report(self) -> Report:
        source = [r for r in self.rules if r.kind != "section_rule" and r.id not in self.user_ids]
        if not source:
            source = list(self.rules)
        unparsed = tuple(
            UnparsedRule(r.id, r.citation, r.unparsed_reason or "", r.text) for r in source if not r.parsed
        )
        psr = [r for r in source if r.kind == "psr"]
        alternatives = [a for r in source for a in r.alternatives]
        return Report(
            total=len(source),
            parsed=len(source) - len(unparsed),
            psr_total=len(psr),
            psr_parsed=sum(1 for r in psr if r.parsed),
            notes=sum(1 for r in source if r.is_note),
            mechanical_alternatives=sum(1 for a in alternatives if a.mechanical),
            alternatives=len(alternatives),
            unparsed=unparsed,
            provenance=self.provenance,
        )


def read_rule_file(path: Path) -> RuleSet:
    """Read and validate a rule file: JSON ({"rules": [...]}, as shipped) or JSON Lines (one rule a line).

    Every problem is reported at once with the file, line and field; nothing is returned unless
    the whole file is valid.
    """
    path = Path(path)
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleFileError(name, [_problem(name, None, f"cannot be read ({exc.strerror})")]) from exc
    entries: list[tuple[int, Any]] = []
    provenance: dict[str, Any] = {"files": {}, "built": "user file", "source": name}
    problems: list[Problem] = []
    if path.suffix.lower() == ".jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(_problem(name, number, f"not valid JSON ({exc.msg} at column {exc.colno})"))
                continue
            if isinstance(obj, dict) and "provenance" in obj and "id" not in obj:
                provenance.update(obj["provenance"])
                continue
            entries.append((number, obj))
    else:
        try:
            members, found = object_with_lines(text, "rules")
            if found is None:
                raise ValueError("no rules list")
            entries = found
        except json.JSONDecodeError as exc:
            raise RuleFileError(
                name, [_problem(name, exc.lineno, f"not valid JSON ({exc.msg} at column {exc.colno})")]
            ) from exc
        except ValueError:
            raise RuleFileError(
                name, [_problem(name, 1, f'expected an object with a "rules" list (format {FORMAT})')]
            ) from None
        provenance.update(members.get("provenance", {}))
    rules: list[ProductRule] = []
    seen: dict[str, int] = {}
    for number, obj in entries:
        rule, rule_problems = rule_from_json(obj)
        problems += [p.at(name, number) for p in rule_problems]
        if rule is not None:
            if rule.id in seen:
                problems.append(
                    Problem(
                        name, number, "id", rule.id, "duplicate rule id", f"first used on line {seen[rule.id]}", "line"
                    )
                )
            seen.setdefault(rule.id, number)
            rules.append(rule)
    if not entries and not problems:
        problems.append(_problem(name, None, "holds no rules"))
    if problems:
        raise RuleFileError(name, problems)
    return RuleSet(tuple(rules), provenance)


def _problem(file: str, line: int | None, message: str) -> Problem:
    return Problem(file, line, None, None, message, by="line")


def load_rule_file(path: Path | str) -> list[ProductRule]:
    """The rules of a user rule file (same schema as the shipped file), validated.

    Add them to lookups with `shipped_rules().with_rules(load_rule_file(path))`.
    """
    return list(read_rule_file(Path(path)).rules)


@functools.cache
def shipped_rules() -> RuleBook:
    """The rules parsed from GN 11 and shipped in the package (read once a process; built once, then loaded from
    the on-disk cache of rules/cached.py)."""
    from nearshore.origin.rules.cached import cache_folder, cached_book

    files = (SHIPPED, Path(__file__).with_name("model.py"), Path(__file__))
    book: RuleBook = cached_book(files, _read_shipped, cache_folder())
    return book


def _read_shipped() -> RuleBook:
    rule_set = read_rule_file(SHIPPED)
    return RuleBook(rule_set.rules, rule_set.provenance)


def rules_for(hs: str, book: RuleBook | None = None) -> list[ProductRule]:
    """The product-specific rule(s) for an HS code, most specific first; NoRuleError says why when none."""
    return (book or shipped_rules()).rules_for(hs)


def narrower_rules(hs: str, book: RuleBook | None = None) -> list[ProductRule]:
    """Rules for tariff items inside a shorter code (not returned by `rules_for`)."""
    return (book or shipped_rules()).narrower_rules(hs)


def notes_for(hs: str, book: RuleBook | None = None) -> list[ProductRule]:
    """Chapter/heading/subheading notes and section rules covering the code."""
    return (book or shipped_rules()).notes_for(hs)


def rule_report(book: RuleBook | None = None) -> Report:
    """Parse coverage of the shipped rules (or of `book`) with the unparsed rules and reasons."""
    return (book or shipped_rules()).report()
