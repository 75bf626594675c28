"""The words of analytics: flows and their labels, partners from user text, the world total (the source's own
World row or the sum over countries), and the DataNotFound error saying what the store holds of a series.

Every read of the store goes through the query layer (nearshore.data.query); `Scope` and `When` come from there.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Final, Literal

from nearshore.analytics.result import choose
from nearshore.data import query
from nearshore.data.query import DEFAULT_BASIS, Scope
from nearshore.errors import DataNotFound, InputError

if TYPE_CHECKING:
    from nearshore.data.query.engine import Reader
    from nearshore.data.reference import Partner

FlowChoice = Literal["imports", "exports", "total"]
FLOW_CHOICES: Final = ("imports", "exports", "total")
LOAD_HINT: Final = (
    "load more with `nearshore data load SOURCE FILE` (census-country for partner totals, dataweb for HTS10 "
    "and USMCA claims, census-duties for duties); `nearshore data info` lists what is loaded"
)
SEED_HINT: Final = "; the store is empty: `nearshore data seed` fills it from the embedded snapshot"
FLOW_WORDS: Final = {"imports": "U.S. imports", "exports": "U.S. exports", "total": "U.S. two-way trade"}
WORLD_WORDS: Final = ("wld", "world")


def partner(text: str) -> Partner:
    """A partner country from user text (ISO3, ISO2, Census code or name); UnknownCodeError says what is
    accepted, InputError says where the world total is offered when `text` names the world."""
    from nearshore.data.reference import resolve_partner

    who = None if text.strip().lower() in WORLD_WORDS else resolve_partner(text)
    if who is None or who.kind == "world":
        raise InputError(
            f"partner {text!r} is the world total, not a country: `stats growth` and `stats balance` take "
            f"--partner World (or no --partner) for the total over all countries; here give a country, e.g. MEX"
        )
    return who


def partner_or_world(text: str | None) -> Partner | None:
    """A partner country, or None (the total over all countries) for no text, 'World' or 'WLD'."""
    if text is None or text.strip().lower() in WORLD_WORDS:
        return None
    from nearshore.data.reference import resolve_partner

    who = resolve_partner(text)
    return None if who.kind == "world" else who


def check_flow(flow: str) -> FlowChoice:
    choose(flow, FLOW_CHOICES, "flow")
    return flow  # type: ignore[return-value]


def available(store: Reader, scope: Scope, as_of: str | None) -> str:
    """What the store holds for a scope, in words: 'years 1985-2025 (monthly to 2025-12)' or 'nothing'."""
    held = query.extent(store, scope, as_of)
    if not held.rows:
        return "nothing"
    text = f"years {held.first_year}-{held.last_year}"
    if held.last_month is not None:
        text += f" (monthly to {held.last_month[0]}-{held.last_month[1]:02d})"
    return text


def not_found(store: Reader, scope: Scope, as_of: str | None, wanted: str) -> DataNotFound:
    """DataNotFound saying what was asked for, what the store holds of that series, and how to load more.

    When the series holds nothing for the partners asked about, the message names the partners it does hold.
    """
    held = available(store, scope, as_of)
    others = ""
    if held == "nothing" and scope.partners is not None:
        wider = replace(scope, partners=None, partner_kinds=("country", "aggregate", "world", "other"))
        ids = query.partners(store, wider, as_of, limit=11)
        if ids:
            shown = ", ".join(ids[:10]) + (", ..." if len(ids) > 10 else "")
            others = f" (it holds this series for {shown})"
    when = f" as of vintage {as_of} (later vintages may hold more)" if as_of else ""
    empty = SEED_HINT if held == "nothing" and not query.row_count(store, "loads") else ""
    return DataNotFound(
        f"no data for {wanted}: the store holds {held} of {scope.describe()}{others}{when}; {LOAD_HINT}{empty}"
    )


def world_scope(scope: Scope) -> tuple[Scope, Scope]:
    """The scope of the source's own World row, and the fallback: every country and unallocated partner."""
    published = replace(scope, partners=("WLD",))
    summed = replace(scope, partners=None, partner_kinds=("country", "other"))
    return published, summed


WORLD_PUBLISHED_NOTE: Final = "world total = the source's own World (not seasonally adjusted) row"
WORLD_SUMMED_NOTE: Final = (
    "world total = sum over countries and unallocated partners (aggregates excluded); the source publishes "
    "no World row for this period"
)


__all__ = [
    "DEFAULT_BASIS",
    "FLOW_CHOICES",
    "FLOW_WORDS",
    "LOAD_HINT",
    "SEED_HINT",
    "WORLD_PUBLISHED_NOTE",
    "WORLD_SUMMED_NOTE",
    "WORLD_WORDS",
    "FlowChoice",
    "Scope",
    "available",
    "check_flow",
    "not_found",
    "partner",
    "partner_or_world",
    "world_scope",
]
