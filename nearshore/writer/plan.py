"""The outline of a brief: its sections, what each should say, and which facts (by role) each may use.

Both writers work from the same outline: the template writer fills each section's Jinja2 template from the
facts its roles name; the LLM writer receives the outline and the facts as JSON. A section's text is markdown
whose figures cite facts as `[[fact:ID]]`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

WriterName = Literal["template", "llm"]
WRITERS: tuple[WriterName, ...] = ("template", "llm")


@dataclass(frozen=True)
class SectionPlan:
    """One section: its id, heading, what it should cover, its template, and its facts by role.

    Roles are the names a template uses ('share', 'rank_prev'); sector roles are 'sector:<name>' with the id
    of the sector's share fact and optionally 'sector_value:<name>' for its dollar value.

    `extra` holds what the section may say besides its facts, as plain data: the rows of the tariff timeline
    (date, authority, goods, treatment, the ids of their rate facts), the quotations of a quotes file, the notes
    a section must make (e.g. which detail the data lack). Every figure it leads to is still a cited fact.
    """

    id: str
    title: str
    goal: str
    template: str
    roles: Mapping[str, str] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def fact_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.roles.values()))


@dataclass(frozen=True)
class Outline:
    """A brief to write: topic partner, year, headline roles and the sections in order."""

    topic: str
    partner: str
    year: int
    sections: tuple[SectionPlan, ...]
    key_numbers: tuple[str, ...] = ()  # fact ids for the key-numbers box, in order
    headline_roles: Mapping[str, str] = field(default_factory=dict)
    allowed_years: tuple[int, ...] = ()  # years the text may name as dates without citing a fact


@dataclass(frozen=True)
class Section:
    """A written section: markdown with `[[fact:ID]]` citations, and which writer produced it."""

    id: str
    title: str
    markdown: str
    writer: WriterName = "template"


@dataclass(frozen=True)
class Draft:
    """The written brief before rendering."""

    headline: str
    standfirst: str
    sections: tuple[Section, ...]
    key_numbers: tuple[str, ...] = ()

    def markdown(self) -> str:
        """The whole text as markdown with `[[fact:ID]]` citations (the verifier's input)."""
        parts = [f"# {self.headline}", self.standfirst]
        parts += [f"## {s.title}\n\n{s.markdown.strip()}" for s in self.sections]
        return "\n\n".join(parts) + "\n"


def validate_writer(name: str) -> WriterName:
    for writer in WRITERS:
        if name == writer:
            return writer
    from nearshore.errors import InputError

    raise InputError(f"unknown writer {name!r}; choose one of: {', '.join(WRITERS)}")
