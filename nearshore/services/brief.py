"""The verified brief as services: write one from the store, and check a written one against its facts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from nearshore.errors import ConfigError, InputError, VerificationFailed
from nearshore.services.base import Context, Result, columns, service
from nearshore.services.fields import Request, arg, opt

DOC_FORMATS = ("html", "md", "pdf")


@dataclass(frozen=True, kw_only=True)
class BriefRequest(Request):
    topic: Annotated[
        str, opt("us-mexico, us-canada or north-america (Canada and Mexico together).", "--topic", "-t")
    ] = "us-mexico"
    year: Annotated[int | None, opt("Year of the brief. Default: the latest complete year.", "--year", "-y")] = None
    as_of: Annotated[str | None, opt("Figures as they stood at this vintage (YYYY-MM).", "--as-of")] = None
    formats: Annotated[
        tuple[str, ...], opt("html, md, pdf: repeat or comma list. Default: html,md.", "--format", "-f")
    ] = ("html", "md")
    out: Annotated[Path, opt("Directory to write the brief into.", "--out", "-o")] = Path("out")
    writer: Annotated[str, opt("template (default) or llm.", "--writer", "-w")] = "template"
    quotes: Annotated[
        Path | None, opt("Quoted facts to cite (CSV/YAML/JSON: text, figure, source, url, date).", "--quotes")
    ] = None

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "formats", _formats(self.formats))


def _formats(values: tuple[str, ...]) -> tuple[str, ...]:
    """Formats given several times or as comma lists, once each in order; none given means html and md."""
    chosen = [v.strip().lower() for item in (values or ("html,md",)) for v in item.split(",") if v.strip()]
    bad = [v for v in chosen if v not in DOC_FORMATS]
    if bad:
        raise InputError(
            f"brief format {bad[0]!r} is not one of: {', '.join(DOC_FORMATS)} "
            "(repeat --format or give a comma list, e.g. --format html,pdf)"
        )
    return tuple(dict.fromkeys(chosen))


@service("brief", BriefRequest, writes=True)
def brief(ctx: Context, r: BriefRequest) -> Result[dict[str, Any]]:
    """Write the brief: a verified, charted, fully sourced trade brief from the official data in the store."""
    from nearshore.writer.compose import run_brief

    run = run_brief(
        r.topic,
        r.year,
        r.as_of,
        r.formats,
        r.out,
        r.writer,
        settings=ctx.settings,
        store=ctx.db,
        progress=lambda label: ctx.step(label),
        quotes=r.quotes,
    )
    written, composition = run.result, run.composition
    report = written.files.report
    return Result(
        f"brief {composition.name}",
        columns("kind", "path"),
        tuple((kind, str(path)) for kind, path in written.files.paths.items()),
        {
            "name": composition.name,
            "topic": composition.topic,
            "year": composition.year,
            "writer": written.writer,
            "files": {kind: str(path) for kind, path in written.files.paths.items()},
            "facts": written.facts,
            "sections": [{"id": s.id, "writer": s.writer} for s in written.draft.sections],
            "verified": report.checked if report else 0,
            "missing": list(composition.missing),
            "skipped": dict(written.files.skipped),
            "writing": [str(p) for p in written.writing],
        },
        tuple(written.notes(composition.missing)),
        error=_skipped_error(written.files.skipped),
    )


def _skipped_error(skipped: dict[str, str]) -> ConfigError | None:
    """A format asked for and not written (its optional part missing) makes the outcome a ConfigError (exit 3);
    the other formats are written."""
    if not skipped:
        return None
    return ConfigError("; ".join(f"{kind} not written: {why}" for kind, why in skipped.items()))


@dataclass(frozen=True, kw_only=True)
class BriefCheckRequest(Request):
    file: Annotated[Path, arg("A brief written by nearshore (.md, .html or .pdf).")]
    facts: Annotated[Path | None, opt("Its facts file. Default: <name>.facts.json beside it.", "--facts")] = None
    all_figures: Annotated[bool, opt("List verified figures too, not only failures.", "--all")] = False


@service("brief.check", BriefCheckRequest, store="none")
def check(ctx: Context, r: BriefCheckRequest) -> Result[dict[str, Any]]:
    """Check every figure in a brief against the fact it cites; a figure its fact does not support makes the
    outcome a VerificationFailed (exit 9), with the failures as the rows."""
    from nearshore.writer.verifier import check_file

    report = check_file(r.file, r.facts)
    rows: list[tuple[Any, ...]] = [
        ("fail", f.kind, f.line, f.figure, ", ".join(f.fact_ids), f.message) for f in report.findings
    ]
    if r.all_figures:
        rows += [("ok", "match", m.line, m.figure, m.fact_id, "") for m in report.matches]
        rows.sort(key=lambda row: int(row[2]))
    error = None
    if not report.ok:
        error = VerificationFailed(
            f"{len(report.findings)} figure(s) in {r.file} are not supported by their "
            "cited facts (listed above); fix the prose or the citations"
        )
    return Result(
        f"verification of {r.file}",
        columns("status", "kind", "line", "figure", "facts", "message"),
        tuple(rows),
        {"file": str(r.file), "ok": report.ok, "verified": len(report.matches), "failed": len(report.findings)},
        (f"{len(report.matches)} verified, {len(report.findings)} failed",),
        error=error,
    )


__all__ = ["DOC_FORMATS", "BriefCheckRequest", "BriefRequest", "brief", "check"]
