"""`nearshore origin check --format pdf`: the determination as a short PDF report (needs the `pdf` extra)."""

from __future__ import annotations

from pathlib import Path

from nearshore.data.reference.hs import dotted
from nearshore.origin.certificate import fpdf_class, latin1, save_pdf
from nearshore.origin.report import OriginReport


def write_report_pdf(report: OriginReport, path: Path) -> Path:
    """Verdict, every test (name, citation, result, detail) and the what-if lines, one per paragraph."""
    pdf = fpdf_class()(format="Letter")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    result = report.result
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(
        0,
        7,
        latin1(f"USMCA origin determination: {result.description} (HS {dotted(result.hs)})"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(
        0,
        5,
        latin1(f"BOM {report.bom.source}; as of {result.date.isoformat()}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    for line in report.footer():
        pdf.multi_cell(0, 5, latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for name, citation, outcome, detail in report.rows():
        pdf.set_font("Helvetica", "B", 9)
        pdf.multi_cell(0, 5, latin1(f"{name.strip()}: {outcome}"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 8)
        pdf.multi_cell(
            0, 4, latin1(f"{detail}" + (f"  [{citation}]" if citation else "")), new_x="LMARGIN", new_y="NEXT"
        )
        pdf.ln(1)
    return save_pdf(pdf, path)
