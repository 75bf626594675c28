"""`nearshore brief`: verified, sourced trade briefs. `check` verifies a written brief against its facts."""

from __future__ import annotations

from pathlib import Path

import typer

from nearshore.cli.output import FORMAT_OPTION, Format, emit, handle_errors

app = typer.Typer(help="Verified, sourced trade briefs.", no_args_is_help=True)


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
