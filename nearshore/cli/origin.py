"""`nearshore origin`: USMCA rules of origin - check a bill of materials, certify, look up rules, batch."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import typer

from nearshore.cli.output import FORMAT_OPTION, QUIET_OPTION, Format, emit, handle_errors, note

app = typer.Typer(
    help="USMCA rules of origin: check, certify, rule, rules, batch.\n\n"
    "Example: nearshore origin check docs/examples/bom.yaml",
    no_args_is_help=True,
)

CHECK_FORMATS = ("table", "json", "csv", "pdf")
DATE_OPTION = typer.Option(None, "--date", "-d", help="Date of the determination (YYYY-MM-DD); default today.")


def _date(text: str | None) -> dt.date | None:
    from nearshore.errors import InputError

    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--date {text!r} is not a date; write YYYY-MM-DD, e.g. 2026-07-01") from None


@app.command("check")
@handle_errors
def check(
    bom: Path = typer.Argument(..., help="Bill of materials: .yaml, .yml, .json or .csv (see docs/origin.md)."),
    date: str = DATE_OPTION,
    fmt: str = typer.Option("table", "--format", "-f", help="Output: table, json, csv or pdf."),
    output: Path = typer.Option(None, "--output", "-o", help="PDF file to write (with --format pdf)."),
    rules_file: Path = typer.Option(None, "--rules", help="Your own rule file, used before the shipped rules."),
    rule_change: list[float] = typer.Option(
        [5.0], "--rule-change", help="What-if: raise every RVC threshold by these points (repeatable)."
    ),
) -> None:
    """Does the good qualify as originating under USMCA? Every test with its inputs, result and margin.

    Exit code 0 whether or not it qualifies; 2 when the BOM has problems (all listed).

    Example: nearshore origin check docs/examples/bom.yaml --date 2026-03-01
    """
    from nearshore.errors import InputError
    from nearshore.origin.report import check_bom

    if fmt not in CHECK_FORMATS:
        raise InputError(f"--format {fmt!r} is not allowed; allowed values: {', '.join(CHECK_FORMATS)}")
    report = check_bom(bom, _date(date), rules_file=rules_file, deltas=tuple(rule_change))
    if fmt == "json":
        sys.stdout.write(json.dumps(report.as_dict(), indent=2, default=str) + "\n")
        return
    if fmt == "pdf":
        from nearshore.origin.pdf_report import write_report_pdf

        target = write_report_pdf(report, output or bom.with_suffix(".origin.pdf"))
        typer.echo(f"wrote {target}")
        return
    from nearshore.data.reference.hs import dotted

    title = f"{report.result.description or bom.name} (HS {dotted(report.result.hs, 'subheading')})"
    if fmt == "table":
        emit(list(report.table_columns), report.table_rows(), Format.table, title=title, footer=report.footer())
        return
    emit(list(report.columns), report.rows(), Format(fmt), title=title, footer=report.footer())


@app.command("certify")
@handle_errors
def certify(
    bom: Path = typer.Argument(..., help="Bill of materials of the good to certify."),
    certifier: str = typer.Option(..., "--certifier", help="Certifier: name, title, address, telephone, email."),
    role: str = typer.Option("producer", "--role", help="Who certifies: importer, exporter or producer."),
    signed_by: str = typer.Option(None, "--signed-by", help="Authorised signatory (default: the certifier)."),
    date: str = DATE_OPTION,
    output: Path = typer.Option(None, "--output", "-o", help="PDF file to write; JSON goes to stdout."),
) -> None:
    """A USMCA certification of origin with the nine minimum data elements, as JSON (and PDF with -o).

    Refused (exit 7) when the good does not qualify.

    Example: nearshore origin certify docs/examples/bom.yaml --certifier "Ana Ruiz, Trade Manager" -o cert.pdf
    """
    from nearshore.origin.certificate import certify as make_certificate
    from nearshore.origin.certificate import write_pdf
    from nearshore.origin.report import check_bom

    on = _date(date)
    report = check_bom(bom, on)
    cert = make_certificate(report.bom, report.result, certifier, role, signed_by, on)
    written = write_pdf(cert, output) if output is not None else None
    sys.stdout.write(cert.to_json() + "\n")
    if written is not None:
        note(f"wrote {written}")


@app.command("rule")
@handle_errors
def rule(
    code: str = typer.Argument(..., help="HS code, e.g. 8708.29 or 870829."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """The USMCA product-specific rule(s) for an HS code, with their citation (HTSUS General Note 11).

    Example: nearshore origin rule 8708.29
    """
    from nearshore.origin.rules import index

    found = index.rules_for(code)
    rows = [[r.citation, "; ".join(x for x in (r.applies_to, r.qualifier) if x), r.text, r.summary()] for r in found]
    if fmt is Format.table:  # the rule text already opens with its use ("For a good ... for use in ..."): 3 columns
        table = [[citation, text, structure.replace(" | ", "\n")] for citation, _, text, structure in rows]
        emit(["citation", "rule", "structure"], table, fmt, title=f"USMCA rules for {code}")
        return
    emit(["citation", "applies", "rule", "structure"], rows, fmt, title=f"USMCA rules for {code}")


@app.command("rules")
@handle_errors
def rules(
    report: bool = typer.Option(False, "--report", help="Print the parse coverage and the unparsed rules."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """The shipped rule book: with --report, how many of the 1,159 GN 11 rules were parsed, and why not.

    Example: nearshore origin rules --report
    """
    from nearshore.origin.rules import index

    result = index.rule_report()
    if not report and fmt is Format.table:
        typer.echo("\n".join(["USMCA rule book (GN 11)", *result.summary(), "(--report lists the unparsed rules)"]))
        return
    rows = [list(row) for row in result.rows()] if report else []
    if fmt is Format.table:  # the full legal text is in --format json/csv; 80 columns need it short
        rows = [[*row[:3], row[3] if len(row[3]) <= 160 else row[3][:157] + "..."] for row in rows]
    emit(list(result.columns), rows, fmt, title="USMCA rule book (GN 11)", footer=result.summary())


@app.command("batch")
@handle_errors
def batch(
    directory: Path = typer.Argument(..., help="A directory of BOM files (.yaml, .yml, .json, .csv)."),
    date: str = DATE_OPTION,
    fmt: Format = FORMAT_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """Check every BOM in a directory: one summary row each (invalid BOMs are listed, not fatal).

    Example: nearshore origin batch boms/ --format csv
    """
    from nearshore.errors import InputError
    from nearshore.origin.report import bom_files, check_directory

    if not directory.is_dir():
        raise InputError(f"{directory}: not a directory; give a folder of BOM files")
    files = bom_files(directory)
    if not files:
        raise InputError(
            f"{directory}: holds no BOM files (.yaml, .yml, .json, .csv); give the folder of your bills of materials"
        )
    rows = []
    if quiet or not sys.stderr.isatty():
        rows = list(check_directory(directory, _date(date)))
    else:
        from rich.progress import Progress

        with Progress(transient=True) as progress:
            task = progress.add_task("determining origin", total=len(files))
            rows = list(check_directory(directory, _date(date), lambda _: progress.advance(task)))
    qualifying = sum(1 for r in rows if r.qualifies)
    invalid = sum(1 for r in rows if r.qualifies is None)
    emit(
        ["file", "hs", "qualifies", "criterion", "detail"],
        [[r.file, r.hs, _yes_no(r.qualifies, fmt), r.criterion or "", r.detail] for r in rows],
        fmt,
        title=f"origin of {len(rows)} BOMs in {directory}",
        footer=[f"{qualifying} qualify, {len(rows) - qualifying - invalid} do not, {invalid} invalid"],
    )


def _yes_no(qualifies: bool | None, fmt: Format) -> bool | str:
    """yes / no in a table, true / false in json and csv; empty for an invalid BOM."""
    if qualifies is None:
        return ""
    if fmt is Format.table:
        return "yes" if qualifies else "no"
    return qualifies
