"""The law as data, as services: the HTS schedule in the store (one line's rates, parse coverage, loading a
revision) and the tariff policy file (its measures; re-deriving its product lists from Chapter 99)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from nearshore import format as fmt
from nearshore.data.query.provenance import Provenance
from nearshore.errors import InputError
from nearshore.services.base import Context, Result, StoreAccess, columns, service
from nearshore.services.fields import Request, arg, opt
from nearshore.services.tariffs import REVISION

if TYPE_CHECKING:
    from nearshore.tariffs.schedule import Schedule


@dataclass(frozen=True, kw_only=True)
class ScheduleRequest(Request):
    hts: Annotated[str | None, opt("Show one line: its rate texts and parsed rates.", "--hts")] = None
    report: Annotated[bool, opt("Print the rate-text parse coverage report.", "--report")] = False
    load: Annotated[Path | None, opt("Load an HTS CSV/JSON export into the store first.", "--load")] = None
    revision: Annotated[str | None, REVISION] = None
    vintage: Annotated[str | None, opt("With --load: the revision's effective month, YYYY-MM.", "--vintage")] = None


def _schedule_access(r: ScheduleRequest) -> StoreAccess:
    return "write" if r.load is not None else "read"


@service("tariff.schedule", ScheduleRequest, store=_schedule_access)
def schedule(ctx: Context, r: ScheduleRequest) -> Result[dict[str, Any]]:
    """The HTS schedule in the store: parse coverage of every rate text, or one line's rates."""
    from nearshore.tariffs.schedule import load_schedule

    messages: list[str] = []
    revision = r.revision
    if r.load is not None:
        from nearshore.data.sources import hts

        loaded = hts.load(ctx.db, r.load, revision=revision, vintage=r.vintage)
        messages.append(f"loaded {loaded.rows} HTS rows from {r.load} (load {loaded.load_id})")
        messages.extend(f"warning: {w}" for w in loaded.warnings)
        revision = revision or hts.revision_from_name(r.load)
    table = load_schedule(ctx.db, revision)
    coverage = table.coverage
    summary = (
        f"HTS {table.revision}: {len(table)} coded lines, {len(table.statistical_lines())} "
        f"statistical lines; rate texts parsed {coverage.parsed}/{coverage.texts} "
        f"({fmt.percent(coverage.share, 4, fraction=True)})"
    )
    payload = {
        "revision": table.revision,
        "texts": coverage.texts,
        "parsed": coverage.parsed,
        "coverage": coverage.share,
    }
    provenance = Provenance(("hts",), (f"HTS {table.revision}",))
    if r.hts is not None:
        return _line(table, r.hts, summary, payload, tuple(messages), provenance)
    if r.report:
        issues = tuple((i.position, i.code, i.column, i.text, i.error) for i in coverage.issues)
        cols = columns("position", "hts", "column", "text", "error")
        return Result(
            "Rate texts the parser could not read", cols, issues, payload, (summary,), provenance, tuple(messages)
        )
    held = (
        (table.revision, len(table), len(table.statistical_lines()), coverage.texts, coverage.parsed, coverage.share),
    )
    cols = columns("revision", "lines", "statistical", "texts", "parsed", "coverage")
    return Result("HTS schedule", cols, held, payload, (), provenance, tuple(messages))


def _line(
    table: Schedule,
    hts: str,
    summary: str,
    payload: dict[str, Any],
    messages: tuple[str, ...],
    provenance: Provenance,
) -> Result[dict[str, Any]]:
    line = table.line(hts)
    rows: list[tuple[Any, ...]] = [
        ("general", line.general_text, line.general.kind if line.general else "", _terms(line.general)),
        ("column 2", line.column2_text, line.column2.kind if line.column2 else "", _terms(line.column2)),
    ]
    rows += [(f"special {','.join(g.programs)}", g.rate.text, g.rate.kind, _terms(g.rate)) for g in line.special]
    notes = (
        f"{line.display} {line.description}; units {', '.join(line.units) or '-'}; rates from {line.rates_from or '-'}",
        summary,
    )
    title = f"HTS {line.display} ({table.revision})"
    return Result(title, columns("column", "text", "kind", "terms"), tuple(rows), payload, notes, provenance, messages)


def _terms(rate: Any) -> str:
    if rate is None:
        return ""
    parts = []
    for term in rate.terms:
        qualifier = f" {term.qualifier}" if term.qualifier else ""
        if term.kind == "ad_valorem":
            parts.append(f"{term.value:.6g} ad val{qualifier}")
        elif term.kind == "specific":
            parts.append(f"${term.value:.6g}/{term.unit}{qualifier}")
        else:
            parts.append(f"ref: {term.qualifier}")
    if rate.condition:
        parts.append(f"condition: {rate.condition}")
    return " + ".join(parts)


@dataclass(frozen=True, kw_only=True)
class PolicyRequest(Request):
    """No parameters: the policy file shipped in the package."""


@dataclass(frozen=True, kw_only=True)
class PolicyBuildRequest(Request):
    path: Annotated[Path, arg("The Chapter 99 text (chapter99_2026_rev_6.txt.gz).")]


@dataclass(frozen=True, kw_only=True)
class PolicyCoverageRequest(Request):
    coverage: Annotated[
        bool,
        opt("Print the last recorded action, its HTS revision and the scheduled changes ahead.", "--coverage"),
    ] = False


@service("tariff.policy", PolicyCoverageRequest, store="none")
def policy_coverage(ctx: Context, r: PolicyCoverageRequest) -> Result[dict[str, Any]]:
    """The last recorded action and HTS revision, and the changes ahead that the recorded measures already set."""
    from nearshore.tariffs.policy import load_policy

    if not r.coverage:
        raise InputError(
            "tariff policy: give --coverage (what the policy file records), or a command: show, build",
            field="coverage",
            hint="nearshore tariff policy --coverage",
        )
    policy = load_policy()
    last = (policy.recorded_to.isoformat(), "last recorded action", f"{policy.hts_revision}: {policy.last_action}")
    ahead = tuple((d.isoformat(), "scheduled", f"{what} [{citation}]") for d, what, citation in policy.scheduled())
    return Result(
        "Tariff policy coverage",
        columns("date", "kind", "what"),
        (last, *ahead),
        {"version": policy.version, "recorded_to": policy.recorded_to.isoformat(), "hts": policy.hts_revision},
        (
            f"policy {policy.version}: dates after {policy.recorded_to.isoformat()} use the measures then in force; "
            "later actions are not recorded",
        ),
        Provenance(("tariff policy",), (f"policy {policy.version}",)),
    )


@service("tariff.policy.show", PolicyRequest, store="none")
def policy_show(ctx: Context, r: PolicyRequest) -> Result[dict[str, Any]]:
    """The measures of the policy file, their dates, rates, exemptions and stacking rules."""
    return _policy(())


@service("tariff.policy.build", PolicyBuildRequest, store="none", writes=True)
def policy_build(ctx: Context, r: PolicyBuildRequest) -> Result[dict[str, Any]]:
    """Re-derive the policy's product lists from the official Chapter 99 text and write them into the package."""
    from nearshore.tariffs.policy import load_policy
    from nearshore.tariffs.policy.derive import build_product_lists, write_product_lists

    written = write_product_lists(build_product_lists(r.path), r.path)
    load_policy.cache_clear()
    return _policy(tuple(f"wrote {p}" for p in written))


def _policy(messages: tuple[str, ...]) -> Result[dict[str, Any]]:
    from nearshore.tariffs.policy import load_policy

    policy = load_policy()
    rows = []
    measures = []
    for m in policy.measures:
        countries = "all" if m.countries is None else ",".join(sorted(m.countries))
        periods = "; ".join(
            f"{p.rate:.4g} {p.start}..{p.end or ''}" + (f" {','.join(sorted(p.countries))}" if p.countries else "")
            for p in m.rates
        )
        exemptions = ", ".join(e.id for e in m.exemptions)
        rows.append((m.id, m.authority, m.heading, countries, m.products.spec, m.basis, periods, exemptions))
        rates = [
            {"rate": p.rate, "start": p.start, "end": p.end, "countries": sorted(p.countries or ())} for p in m.rates
        ]
        measures.append({"id": m.id, "heading": m.heading, "countries": countries, "rates": rates})
    notes = (
        f"policy {policy.version} ({policy.path}), coverage {policy.start}..{policy.end}",
        *(
            f"stacking {s.id}: {', '.join(sorted(s.when))} exclude {', '.join(sorted(s.excludes))} "
            f"({s.mode}) - {s.citation}"
            for s in policy.stacking
        ),
    )
    return Result(
        "Tariff measures",
        columns("measure", "authority", "heading", "countries", "products", "basis", "rates", "exemptions"),
        tuple(rows),
        {"version": policy.version, "measures": measures},
        notes,
        Provenance(("tariff policy",), (f"policy {policy.version}",)),
        messages,
    )


__all__ = [
    "PolicyBuildRequest",
    "PolicyCoverageRequest",
    "PolicyRequest",
    "ScheduleRequest",
    "policy_build",
    "policy_coverage",
    "policy_show",
    "schedule",
]
