"""`nearshore origin`: USMCA rules of origin - check a bill of materials, certify, look up rules, batch."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from nearshore.cli.commands import command
from nearshore.cli.output import FORMAT_OPTION, QUIET_OPTION, Format, Table, note, show
from nearshore.services import origin

if TYPE_CHECKING:
    from nearshore.services.base import Result

app = typer.Typer(
    help="USMCA rules of origin: check, what-if, certify, rule, rules, batch.\n\n"
    "Example: nearshore origin check docs/examples/bom.yaml",
    no_args_is_help=True,
)

CHECK_FORMATS = ("table", "json", "csv", "pdf")


def check_table(result: Result[Any]) -> Table:
    """Each test of a rule alternative on its own line, the citation under the detail."""
    rows = [
        (name, outcome, f"{detail}\n[{citation}]" if citation else detail)
        for name, citation, outcome, detail in result.payload.rows(sep="\n")
    ]
    return Table(["test", "result", "detail"], rows, result.title, result.notes)


@command(app, "check", origin.check)
def check(
    result: Result[Any],
    fmt: str = typer.Option("table", "--format", "-f", help="Output: table, json, csv or pdf."),
    output: Path = typer.Option(None, "--output", "-o", help="PDF file to write (with --format pdf)."),
) -> None:
    """Does the good qualify as originating under USMCA? Every test with its inputs, result and margin.

    Exit code 0 whether or not it qualifies; 2 when the BOM has problems (all listed).

    Example: nearshore origin check docs/examples/bom.yaml --date 2026-03-01
    """
    from nearshore.errors import InputError

    if fmt not in CHECK_FORMATS:
        raise InputError(f"--format {fmt!r} is not allowed; allowed values: {', '.join(CHECK_FORMATS)}")
    if fmt == "pdf":
        from nearshore.origin.pdf_report import write_report_pdf

        report = result.payload
        target = write_report_pdf(report, output or Path(report.bom.source).with_suffix(".origin.pdf"))
        typer.echo(f"wrote {target}")
        return
    show(result, Format(fmt), check_table)


@command(app, "what-if", origin.what_if)
def what_if(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """What would change the answer: the materials whose sourcing as originating makes the good qualify,
    how much non-originating value a passing test can still take, and the verdict with every RVC threshold
    raised by --rule-change points.

    Example: nearshore origin what-if docs/examples/control_arm.yaml --rule-change 5 --rule-change 10
    """
    show(result, fmt)


@command(app, "certify", origin.certify)
def certify(
    result: Result[Any],
    output: Path = typer.Option(None, "--output", "-o", help="PDF file to write; JSON goes to stdout."),
) -> None:
    """A USMCA certification of origin with the nine minimum data elements, as JSON (and PDF with -o).

    Refused (exit 7) when the good does not qualify.

    Example: nearshore origin certify docs/examples/bom.yaml --certifier "Ana Ruiz, Trade Manager" -o cert.pdf
    """
    cert = result.payload
    written = None
    if output is not None:
        from nearshore.origin.certificate import write_pdf

        written = write_pdf(cert, output)
    typer.echo(cert.to_json())  # the certificate document itself, as it was always printed
    if written is not None:
        note(f"wrote {written}")


def _rule_table(result: Result[Any]) -> Table:
    """The rule text already opens with its use ("For a good ... for use in ..."): three columns."""
    rows = [(citation, text, structure.replace(" | ", "\n")) for citation, _, text, structure in result.rows]
    return Table(["citation", "rule", "structure"], rows, result.title, result.notes)


@command(app, "rule", origin.rule)
def rule(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """The USMCA product-specific rule(s) for an HS code, with their citation (HTSUS General Note 11).

    Example: nearshore origin rule 8708.29
    """
    show(result, fmt, _rule_table)


def _rules_table(result: Result[Any]) -> Table:
    """The full legal text is in --format json/csv; 80 columns need it short."""
    rows = [(*row[:3], row[3] if len(row[3]) <= 160 else row[3][:157] + "...") for row in result.rows]
    return Table([c.label for c in result.columns], rows, result.title, result.notes)


@command(app, "rules", origin.rules)
def rules(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """The shipped rule book: with --report, how many of the 1,159 GN 11 rules were parsed, and why not.

    Example: nearshore origin rules --report
    """
    if fmt is Format.table and not result.rows:
        typer.echo("\n".join([result.title, *result.notes, "(--report lists the unparsed rules)"]))
        return
    show(result, fmt, _rules_table)


def _batch_table(result: Result[Any]) -> Table:
    """yes / no in a table (json and csv keep true / false); empty for an invalid BOM."""
    rows = [(r[0], r[1], {True: "yes", False: "no"}.get(r[2], r[2]), *r[3:]) for r in result.rows]
    return Table([c.label for c in result.columns], rows, result.title, result.notes)


@command(app, "batch", origin.batch)
def batch(result: Result[Any], fmt: Format = FORMAT_OPTION, quiet: bool = QUIET_OPTION) -> None:
    """Check every BOM in a directory: one summary row each (invalid BOMs are listed, not fatal).

    Example: nearshore origin batch boms/ --format csv
    """
    show(result, fmt, _batch_table, quiet=quiet)
