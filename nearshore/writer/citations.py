"""The brief's citation syntax, parsed in one place for the renderers (HTML, Markdown, PDF) and the verifier.

A draft cites facts right after a figure: `15.5%[[fact:mex.imports.share.2024]]`; one citation may name
several facts, separated by commas, semicolons or spaces (`[[fact:a, b]]`). A rendered Markdown brief writes
each as a footnote reference, `[^mex.imports.share.2024]`, which the verifier reads too. What this module does
not recognise as a citation, no renderer numbers and the verifier does not count.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from dataclasses import dataclass

from nearshore.errors import InputError

# pattern texts without whitespace, so the verifier's figure scanner can embed them in its verbose pattern
CITE = r"\[\[fact:(?P<ids>[,;\s]*[^\],;\s][^\]]*)\]\]"  # at least one id: '[[fact: ]]' cites nothing
FOOTNOTE = r"\[\^(?P<fn>[^\]\s]+)\]"
CITATION = re.compile(CITE)
_ANY = re.compile(f"{CITE}|{FOOTNOTE}")
_SEPARATORS = re.compile(r"[,;\s]+")


@dataclass(frozen=True)
class Citation:
    """One citation group in a text: the fact ids, and where it starts and ends."""

    ids: tuple[str, ...]
    offset: int
    end: int = 0


def split_ids(raw: str) -> tuple[str, ...]:
    """'a, b; c d' -> ('a', 'b', 'c', 'd')."""
    return tuple(part for part in _SEPARATORS.split(raw) if part)


def ids_of(match: re.Match[str]) -> tuple[str, ...]:
    """The fact ids of a match of `CITE` or `FOOTNOTE` (a footnote label may keep a 'fact:' prefix)."""
    raw = match.group("ids") or match.group("fn") or ""
    return split_ids(raw.removeprefix("fact:"))


def cite(*fact_ids: str) -> str:
    """The citation text for facts: cite('a') -> '[[fact:a]]'; several ids give one citation each."""
    return "".join(f"[[fact:{fact_id}]]" for fact_id in fact_ids)


def footnote(fact_id: str) -> str:
    """The Markdown footnote reference for a fact: footnote('a') -> '[^a]'."""
    return f"[^{fact_id}]"


def replace(text: str, render: Callable[[tuple[str, ...]], str]) -> str:
    """`text` with every `[[fact:...]]` citation replaced by `render(ids)`."""
    return CITATION.sub(lambda match: render(ids_of(match)), text)


def without_citations(text: str) -> str:
    """`text` without its citations (a title, a plain-text label)."""
    return replace(text, lambda _ids: "")


def starts_with_citation(text: str) -> bool:
    """True when `text` begins with a citation or a footnote reference."""
    return _ANY.match(text) is not None


class Footnotes:
    """Numbers the cited facts by first appearance, one note per fact: the same numbers in every format."""

    def __init__(self, known: Container[str]) -> None:
        self.known = known
        self.order: list[str] = []

    def number(self, fact_id: str) -> int:
        if fact_id not in self.known:
            raise InputError(f"the text cites fact {fact_id!r}, which is not in the fact table", value=fact_id)
        if fact_id not in self.order:
            self.order.append(fact_id)
        return self.order.index(fact_id) + 1
