"""The one place analytics SQL is built: which trade_flows rows a figure reads (a `Scope`), totals by year,
month or span of months, the provenance of those rows, and the DataNotFound error when they are absent.

SQL is written with inline literals (validated or quoted here), so the query stored in a Figure's provenance
can be pasted into `duckdb` against the store and re-run as is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Final, Literal

from nearshore.analytics.result import Provenance, choose
from nearshore.errors import DataNotFound, InputError

if TYPE_CHECKING:
    from nearshore.data.reference import Partner
    from nearshore.data.store import Store

FlowChoice = Literal["imports", "exports", "total"]
FLOW_CHOICES: Final = ("imports", "exports", "total")
# The basis each flow is published on in the Census country file (the default source of totals).
DEFAULT_BASIS: Final = {"imports": "general", "exports": "total"}
LOAD_HINT: Final = (
    "load more with `nearshore data load SOURCE FILE` (census-country for partner totals, dataweb for HTS10 "
    "and USMCA claims, census-duties for duties); `nearshore data info` lists what is loaded"
)
FLOW_WORDS: Final = {"imports": "U.S. imports", "exports": "U.S. exports", "total": "U.S. two-way trade"}


def lit(value: Any) -> str:
    """A SQL literal: numbers as is, strings single-quoted with quotes doubled, None as NULL."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


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


@dataclass(frozen=True)
class Scope:
    """Which trade_flows rows a figure reads. `partners` None means every partner of `partner_kinds`."""

    flow: str
    basis: str
    program: str = "ALL"
    classification: str = "TOTAL"
    source: str | None = None
    partners: tuple[str, ...] | None = None
    partner_kinds: tuple[str, ...] = ("country",)
    extra: str = ""
    programs: tuple[str, ...] = ()  # when given, rows of any of these programmes (overrides `program`)

    @classmethod
    def for_flow(cls, flow: str, **kw: Any) -> Scope:
        """The Census partner-total scope for imports (general) or exports (total)."""
        return cls(flow=flow, basis=DEFAULT_BASIS[flow], **kw)

    def where(self) -> str:
        program = (
            f"program IN ({', '.join(lit(p) for p in self.programs)})"
            if self.programs
            else f"program = {lit(self.program)}"
        )
        parts = [
            f"flow = {lit(self.flow)}",
            f"basis = {lit(self.basis)}",
            program,
            f"classification = {lit(self.classification)}",
        ]
        if self.source is not None:
            parts.append(f"source = {lit(self.source)}")
        if self.partners is not None:
            parts.append(f"partner IN ({', '.join(lit(p) for p in self.partners)})")
        else:
            parts.append(f"partner_kind IN ({', '.join(lit(k) for k in self.partner_kinds)})")
        if self.extra:
            parts.append(f"({self.extra})")
        return " AND ".join(parts)

    def describe(self) -> str:
        kinds = "/".join(self.partner_kinds)
        who = ", ".join(self.partners) if self.partners is not None else f"every partner of kind {kinds}"
        program = "/".join(self.programs) if self.programs else self.program
        text = f"{self.flow} ({self.basis}, program {program}, {self.classification}) for {who}"
        return text + (f" from source {self.source}" if self.source else "")

    def with_partners(self, *ids: str) -> Scope:
        return replace(self, partners=tuple(ids))


def rel(store: Store, as_of: str | None) -> str:
    return store.relation("trade_flows", as_of)


def _alias(column: str) -> str:
    """The output name of a group column written 'expr AS name' (or the column itself)."""
    return column.rsplit(" AS ", 1)[-1]


def yearly_sql(store: Store, scope: Scope, group: Sequence[str], years: Sequence[int] | None, as_of: str | None) -> str:
    """Annual totals per group: the published annual rows where the source has them, else the sum of the
    12 months (a year with fewer months in the scope gives no row). Group columns may be 'expr AS name'."""
    g = "".join(f"{c}, " for c in group)
    out = "".join(f"{_alias(c)}, " for c in group)
    year_filter = f" AND year IN ({', '.join(str(int(y)) for y in years)})" if years else ""
    return (
        f"WITH s AS (SELECT * FROM {rel(store, as_of)} WHERE {scope.where()}{year_filter}),\n"
        f"a AS (SELECT {g}year, sum(value_usd) AS value_usd, sum(duty_usd) AS duty_usd FROM s "
        f"WHERE month IS NULL GROUP BY ALL),\n"
        f"n AS (SELECT year, count(DISTINCT month) AS months FROM s WHERE month IS NOT NULL GROUP BY year),\n"
        f"m AS (SELECT {g}year, sum(value_usd) AS value_usd, sum(duty_usd) AS duty_usd FROM s "
        f"WHERE month IS NOT NULL AND year NOT IN (SELECT year FROM a) GROUP BY ALL)\n"
        f"SELECT {out}year, value_usd, duty_usd FROM a\n"
        f"UNION ALL SELECT {out}m.year, value_usd, duty_usd FROM m JOIN n ON m.year = n.year "
        f"WHERE n.months = 12"
    )


def monthly_sql(
    store: Store, scope: Scope, group: Sequence[str], year: int | None, month: int | None, as_of: str | None
) -> str:
    g = "".join(f"{c}, " for c in group)
    filters = "month IS NOT NULL"
    if year is not None:
        filters += f" AND year = {int(year)}"
    if month is not None:
        filters += f" AND month = {int(month)}"
    return (
        f"SELECT {g}year, month, sum(value_usd) AS value_usd, sum(duty_usd) AS duty_usd "
        f"FROM {rel(store, as_of)} WHERE {scope.where()} AND {filters} GROUP BY ALL"
    )


def span_sql(
    store: Store, scope: Scope, group: Sequence[str], start: tuple[int, int], end: tuple[int, int], as_of: str | None
) -> str:
    """Totals over the months start..end inclusive, with how many distinct months were found."""
    g = ", ".join(group)
    lo, hi = start[0] * 100 + start[1], end[0] * 100 + end[1]
    return (
        f"SELECT {g + ', ' if g else ''}sum(value_usd) AS value_usd, sum(duty_usd) AS duty_usd, "
        f"count(DISTINCT year::INTEGER * 100 + month) AS months "
        f"FROM {rel(store, as_of)} WHERE {scope.where()} AND month IS NOT NULL "
        f"AND year::INTEGER * 100 + month BETWEEN {lo} AND {hi}" + (f" GROUP BY {g}" if g else "")
    )


def provenance(
    store: Store, scope: Scope, as_of: str | None, query: str, *notes: str, extra_filter: str = ""
) -> Provenance:
    """The sources and vintages of the rows `scope` reads (narrowed by `extra_filter`), with the query."""
    cond = scope.where() + (f" AND {extra_filter}" if extra_filter else "")
    rows = store.query(f"SELECT DISTINCT source, vintage FROM {rel(store, as_of)} WHERE {cond}").rows
    return Provenance(tuple(sorted({r[0] for r in rows})), tuple(sorted({r[1] for r in rows})), query, tuple(notes))


def available(store: Store, scope: Scope, as_of: str | None) -> str:
    """What the store holds for a scope, in words: 'years 1985-2025 (monthly to 2025-12)' or 'nothing'."""
    row = store.query(
        f"SELECT min(year), max(year), max(year::INTEGER * 100 + month) FILTER (WHERE month IS NOT NULL), "
        f"count(*) "
        f"FROM {rel(store, as_of)} WHERE {scope.where()}"
    ).rows[0]
    if not row[3]:
        return "nothing"
    text = f"years {row[0]}-{row[1]}"
    if row[2] is not None:
        text += f" (monthly to {row[2] // 100}-{row[2] % 100:02d})"
    return text


def not_found(store: Store, scope: Scope, as_of: str | None, wanted: str) -> DataNotFound:
    """DataNotFound saying what was asked for, what the store holds of that series, and how to load more.

    When the series holds nothing for the partners asked about, the message names the partners it does hold.
    """
    held = available(store, scope, as_of)
    others = ""
    if held == "nothing" and scope.partners is not None:
        wider = replace(scope, partners=None, partner_kinds=("country", "aggregate", "world", "other"))
        ids = [
            r[0]
            for r in store.query(
                f"SELECT DISTINCT partner FROM {rel(store, as_of)} WHERE {wider.where()} ORDER BY partner LIMIT 11"
            ).rows
        ]
        if ids:
            shown = ", ".join(ids[:10]) + (", ..." if len(ids) > 10 else "")
            others = f" (it holds this series for {shown})"
    when = f" as of vintage {as_of} (later vintages may hold more)" if as_of else ""
    return DataNotFound(
        f"no data for {wanted}: the store holds {held} of {scope.describe()}{others}{when}; {LOAD_HINT}"
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
    "WORLD_PUBLISHED_NOTE",
    "WORLD_SUMMED_NOTE",
    "WORLD_WORDS",
    "FlowChoice",
    "Scope",
    "available",
    "check_flow",
    "lit",
    "monthly_sql",
    "not_found",
    "partner",
    "partner_or_world",
    "provenance",
    "rel",
    "span_sql",
    "world_scope",
    "yearly_sql",
]
