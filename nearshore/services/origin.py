"""USMCA rules of origin as services: check a bill of materials, what would change the answer, certify, look
up rules, the rule book's coverage, and a directory of BOMs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from nearshore.errors import InputError, StoreError
from nearshore.services.base import Context, Result, columns, service
from nearshore.services.fields import Request, arg, opt

if TYPE_CHECKING:
    from nearshore.origin.certificate import Certification
    from nearshore.origin.duty import DutyCalculator
    from nearshore.origin.report import OriginReport
    from nearshore.origin.result import Determination
    from nearshore.origin.rules.index import Report
    from nearshore.origin.whatif import WhatIf

BOM_PATH = arg("Bill of materials: .yaml, .yml, .json or .csv (see docs/origin.md).")
DATE = opt("Date of the determination (YYYY-MM-DD); default today.", "--date", "-d")
RULES = opt("Your own rule file, used before the shipped rules.", "--rules")
RULE_CHANGE = opt("What-if: raise every RVC threshold by these points (repeatable).", "--rule-change")


def _on(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--date {text!r} is not a date; write YYYY-MM-DD, e.g. 2026-07-01") from None


def _title(result: Determination, name: str) -> str:
    from nearshore.data.reference.hs import dotted

    return f"{result.description or name} (HS {dotted(result.hs, 'subheading')})"


@dataclass(frozen=True, kw_only=True)
class OriginCheckRequest(Request):
    bom: Annotated[Path, BOM_PATH]
    date: Annotated[str | None, DATE] = None
    rules: Annotated[Path | None, RULES] = None
    rule_change: Annotated[tuple[float, ...], RULE_CHANGE] = (5.0,)

    def __post_init__(self) -> None:
        super().__post_init__()
        _on(self.date)


@dataclass(frozen=True, kw_only=True)
class WhatIfRequest(OriginCheckRequest):
    """The same fields as a check: only the what-if is answered."""


def _duty_calculator(ctx: Context) -> DutyCalculator:
    """The tariff engine over the context's store; when the store holds no HTS schedule to price with, the
    determination stands and its duty consequence says why."""
    from nearshore import tariffs
    from nearshore.origin.duty import NoTariffEngine, TariffEngineDuty

    try:
        return TariffEngineDuty(tariffs.load_schedule(ctx.db), tariffs.load_policy())
    except StoreError as exc:
        return NoTariffEngine(exc)


@service("origin.check", OriginCheckRequest)
def check(ctx: Context, r: OriginCheckRequest) -> Result[OriginReport]:
    """Does the good qualify as originating under USMCA? Every test with its inputs, result and margin."""
    from nearshore.origin.report import check_bom

    report = check_bom(
        r.bom, _on(r.date), rules_file=r.rules, calculator=_duty_calculator(ctx), deltas=tuple(r.rule_change)
    )
    return Result(
        _title(report.result, r.bom.name),
        columns(*report.columns),
        tuple(report.rows()),
        report,
        tuple(report.footer()),
    )


@service("origin.what-if", WhatIfRequest, store="none")
def what_if(ctx: Context, r: WhatIfRequest) -> Result[WhatIf]:
    """What would change the answer: materials whose sourcing flips it, headroom, rule changes."""
    from nearshore.origin.bom_io import load_bom
    from nearshore.origin.determine import determine
    from nearshore.origin.psr import rules_for_good
    from nearshore.origin.rules import index
    from nearshore.origin.whatif import what_if as scenarios

    on = _on(r.date) or dt.date.today()
    bom = load_bom(r.bom)
    book = index.shipped_rules().with_rules(index.load_rule_file(r.rules)) if r.rules else None
    chosen = rules_for_good(bom, on, book) if book is not None else None
    result = determine(bom, on, rules=chosen)
    found = scenarios(bom, on, rules=chosen, result=result, deltas=tuple(r.rule_change))
    rows: list[tuple[Any, ...]] = []
    for f in found.flips:
        rows.append((f"source line {f.line} ({f.description or f.hs}) as originating", True, f.criterion, f.value))
    for f in found.designations:
        rows.append((f"designate line {f.line} ({f.description or f.hs}) as intermediate", True, f.criterion, f.value))
    if found.combination:
        lines = ", ".join(str(f.line) for f in found.combination)
        total = sum(f.value for f in found.combination)
        rows.append((f"source lines {lines} as originating", True, found.combination[0].criterion, total))
    for h in found.headroom:
        rows.append((f"{h.test}: add non-originating value", True, result.criterion, h.amount))
    for c in found.rule_changes:
        rows.append((f"every RVC threshold {c.delta:+g} points", c.qualifies, c.criterion, None))
    verdict = "qualifies" if result.qualifies else "does not qualify"
    return Result(
        f"What if: {_title(result, r.bom.name)} {verdict} as it is",
        columns("change", "qualifies", "criterion", "value"),
        tuple(rows),
        found,
        tuple(found.lines()),
    )


@dataclass(frozen=True, kw_only=True)
class CertifyRequest(Request):
    bom: Annotated[Path, arg("Bill of materials of the good to certify.")]
    certifier: Annotated[str, opt("Certifier: name, title, address, telephone, email.", "--certifier")]
    role: Annotated[str, opt("Who certifies: importer, exporter or producer.", "--role")] = "producer"
    signed_by: Annotated[str | None, opt("Authorised signatory (default: the certifier).", "--signed-by")] = None
    date: Annotated[str | None, DATE] = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _on(self.date)


@service("origin.certify", CertifyRequest, store="none")
def certify(ctx: Context, r: CertifyRequest) -> Result[Certification]:
    """A USMCA certification of origin with the nine minimum data elements; refused when the good does not
    qualify (NotOriginating, exit 7)."""
    from nearshore.origin.bom_io import load_bom
    from nearshore.origin.certificate import certify as make_certificate
    from nearshore.origin.determine import determine

    on = _on(r.date)
    bom = load_bom(r.bom)
    result = determine(bom, on or dt.date.today())
    cert = make_certificate(bom, result, r.certifier, r.role, r.signed_by, on)
    return Result(
        "USMCA certification of origin",
        columns("element", "value"),
        tuple(cert.elements()),
        cert,
        (cert.statement,),
    )


@dataclass(frozen=True, kw_only=True)
class RuleRequest(Request):
    code: Annotated[str, arg("HS code, e.g. 8708.29 or 870829.")]


@service("origin.rule", RuleRequest, store="none")
def rule(ctx: Context, r: RuleRequest) -> Result[list[dict[str, Any]]]:
    """The USMCA product-specific rule(s) for an HS code, with their citation (HTSUS General Note 11)."""
    from nearshore.origin.rules import index
    from nearshore.origin.rules.serial import rule_to_json

    found = index.rules_for(r.code)
    rows = tuple(
        (x.citation, "; ".join(part for part in (x.applies_to, x.qualifier) if part), x.text, x.summary())
        for x in found
    )
    return Result(
        f"USMCA rules for {r.code}",
        columns("citation", "applies", "rule", "structure"),
        rows,
        [rule_to_json(x) for x in found],
    )


@dataclass(frozen=True, kw_only=True)
class RulesRequest(Request):
    report: Annotated[bool, opt("Print the parse coverage and the unparsed rules.", "--report")] = False


@service("origin.rules", RulesRequest, store="none")
def rules(ctx: Context, r: RulesRequest) -> Result[Report]:
    """The shipped rule book: how many of the 1,159 GN 11 rules were parsed, and (report) why not."""
    from nearshore.origin.rules import index

    book = index.rule_report()
    return Result(
        "USMCA rule book (GN 11)",
        columns(*book.columns),
        tuple(book.rows()) if r.report else (),
        book,
        tuple(book.summary()),
    )


@dataclass(frozen=True, kw_only=True)
class OriginBatchRequest(Request):
    directory: Annotated[
        Path,
        arg(
            "A directory of BOM files (.yaml, .yml, .json, .csv), or one portfolio file of BOMs (.jsonl, .ndjson "
            "or .parquet: one BOM a line or row, as for `scenario rules`)."
        ),
    ]
    date: Annotated[str | None, DATE] = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _on(self.date)


@service("origin.batch", OriginBatchRequest, store="none")
def batch(ctx: Context, r: OriginBatchRequest) -> Result[dict[str, Any]]:
    """Check every BOM in a directory or portfolio file: one summary row each (invalid BOMs are listed, not
    fatal)."""
    from nearshore.origin.batch import bom_files, check_directory, check_portfolio

    if r.directory.is_file():
        found = list(check_portfolio(r.directory, _on(r.date), lambda n: ctx.step("determining origin", n)))
        if not found:
            raise InputError(f"{r.directory}: holds no BOM; write one BOM per line (row)", file=str(r.directory))
        return _batch_result(r.directory, found)
    if not r.directory.is_dir():
        raise InputError(
            f"{r.directory}: not a directory or file; give a folder of BOM files or a .jsonl/.parquet portfolio"
        )
    files = bom_files(r.directory)
    if not files:
        raise InputError(
            f"{r.directory}: holds no BOM files (.yaml, .yml, .json, .csv); give the folder of your bills of materials"
        )
    done: list[Path] = []

    def advance(path: Path) -> None:
        done.append(path)
        ctx.step("determining origin", len(done), len(files))

    return _batch_result(r.directory, list(check_directory(r.directory, _on(r.date), advance)))


def _batch_result(source: Path, found: list[Any]) -> Result[dict[str, Any]]:
    qualifying = sum(1 for x in found if x.qualifies)
    invalid = sum(1 for x in found if x.qualifies is None)
    return Result(
        f"origin of {len(found)} BOMs in {source}",
        columns("file", "hs", "qualifies", "criterion", "detail"),
        # an invalid BOM has no answer: qualifies is empty, as in the CSV
        tuple((x.file, x.hs, "" if x.qualifies is None else x.qualifies, x.criterion or "", x.detail) for x in found),
        {"boms": found, "qualify": qualifying, "invalid": invalid},
        (f"{qualifying} qualify, {len(found) - qualifying - invalid} do not, {invalid} invalid",),
    )


__all__ = [
    "CertifyRequest",
    "OriginBatchRequest",
    "OriginCheckRequest",
    "RuleRequest",
    "RulesRequest",
    "WhatIfRequest",
    "batch",
    "certify",
    "check",
    "rule",
    "rules",
    "what_if",
]
