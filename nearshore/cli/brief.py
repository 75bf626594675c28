"""`nearshore brief`: verified, sourced trade briefs. `check` verifies a written brief against its facts."""

from __future__ import annotations

from pathlib import Path

import typer

from nearshore.cli.output import FORMAT_OPTION, QUIET_OPTION, Format, emit, handle_errors

app = typer.Typer(invoke_without_command=True)

TOPIC_HELP = "us-mexico, us-canada or north-america (Canada and Mexico together)."
DOC_FORMATS = ("html", "md", "pdf")


def _formats(values: list[str] | None) -> tuple[str, ...]:
    """--format given several times or as a comma list; default html and md."""
    from nearshore.errors import InputError

    chosen = [v.strip().lower() for item in (values or ["html,md"]) for v in item.split(",") if v.strip()]
    bad = [v for v in chosen if v not in DOC_FORMATS]
    if bad:
        raise InputError(
            f"brief format {bad[0]!r} is not one of: {', '.join(DOC_FORMATS)} "
            "(repeat --format or give a comma list, e.g. --format html,pdf)"
        )
    return tuple(dict.fromkeys(chosen))


@app.callback()
@handle_errors
def brief(
    ctx: typer.Context,
    topic: str = typer.Option("us-mexico", "--topic", "-t", help=TOPIC_HELP),
    year: int = typer.Option(None, "--year", "-y", help="Year of the brief. Default: the latest complete year."),
    as_of: str = typer.Option(None, "--as-of", help="Figures as they stood at this vintage (YYYY-MM)."),
    formats: list[str] = typer.Option(
        None, "--format", "-f", help="html, md, pdf: repeat or comma list. Default: html,md."
    ),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Directory to write the brief into."),
    writer: str = typer.Option("template", "--writer", "-w", help="template (default) or llm."),
    quotes: Path = typer.Option(
        None, "--quotes", help="Quoted facts to cite (CSV/YAML/JSON: text, figure, source, url, date)."
    ),
    quiet: bool = QUIET_OPTION,
) -> None:
    """Write the brief: a verified, charted, fully sourced trade brief from the official data in the store.

    Writes <topic>-<year>.html, .md, .pdf and .facts.json into --out, each figure checked against its fact.

    `nearshore brief check FILE` re-checks a written brief.

    Example: nearshore brief --topic us-mexico --format html,pdf --out out
    """
    if ctx.invoked_subcommand is not None:
        return
    import sys

    from rich.progress import Progress, SpinnerColumn, TextColumn

    from nearshore.writer.compose import run_brief

    chosen = _formats(formats)
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), transient=True, disable=quiet or not sys.stderr.isatty()
    ) as progress:
        task = progress.add_task("writing the brief")
        run = run_brief(
            topic,
            year,
            as_of,
            chosen,
            out,
            writer,
            progress=lambda step: progress.update(task, description=step),
            quotes=quotes,
        )
    result, comp = run.result, run.composition
    lines = [f"wrote {path}" for kind, path in result.files.paths.items() if kind != "facts"]
    lines.append(f"facts: {len(comp.facts)} in {result.files.paths['facts']}")
    lines.append("sections: " + ", ".join(f"{s.id} ({s.writer})" for s in result.draft.sections))
    for r in result.llm.rejections if result.llm else ():
        lines.append(f"rejected LLM draft: section {r.section}, attempt {r.attempt}: {r.reason}")
    lines += [f"note: {m}" for m in comp.missing]
    lines += [f"writing: {p}" for p in result.writing]
    checked = result.files.report.checked if result.files.report else 0
    lines.append(f"verified: {checked} figures, none failed; writer: {result.writer}")
    typer.echo("\n".join(lines))
    if result.files.skipped:
        from nearshore.errors import ConfigError

        raise ConfigError("; ".join(f"{kind} not written: {why}" for kind, why in result.files.skipped.items()))


@app.command("check")
@handle_errors
def check(
    file: Path = typer.Argument(..., help="A brief written by nearshore (.md or .html)."),
    facts: Path = typer.Option(None, "--facts", help="Its facts file. Default: <name>.facts.json beside it."),
    all_figures: bool = typer.Option(False, "--all", help="List verified figures too, not only failures."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Check every figure in a brief against the fact it cites; exit 9 if any is unsupported.

    Example: nearshore brief check out/us-mexico-2024.md
    """
    from nearshore.errors import VerificationFailed
    from nearshore.writer.verifier import check_file

    report = check_file(file, facts)
    rows: list[list[object]] = [
        ["fail", f.kind, f.line, f.figure, ", ".join(f.fact_ids), f.message] for f in report.findings
    ]
    if all_figures:
        rows += [["ok", "match", m.line, m.figure, m.fact_id, ""] for m in report.matches]
        rows.sort(key=lambda r: int(str(r[2])))
    summary = f"{len(report.matches)} verified, {len(report.findings)} failed"
    if fmt is Format.table and not rows:
        typer.echo(f"{file}: {summary}")
        return
    emit(
        ["status", "kind", "line", "figure", "facts", "message"],
        rows,
        fmt,
        title=f"verification of {file}",
        footer=[summary],
        meta={"ok": report.ok, "verified": len(report.matches), "failed": len(report.findings)},
    )
    if not report.ok:
        raise VerificationFailed(
            f"{len(report.findings)} figure(s) in {file} are not supported by their "
            "cited facts (listed above); fix the prose or the citations"
        )
