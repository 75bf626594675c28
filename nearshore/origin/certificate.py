"""USMCA certification of origin: the nine minimum data elements (USMCA Art. 5.2 and Annex 5-A), as JSON
and PDF. A certificate is only issued for a good the engine finds originating."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from nearshore.data.reference.hs import dotted
from nearshore.errors import InputError, NotOriginating
from nearshore.origin.bom import BOM
from nearshore.origin.result import Determination

CertifierRole = Literal["importer", "exporter", "producer"]
CERTIFIER_ROLES: tuple[CertifierRole, ...] = ("importer", "exporter", "producer")
STATEMENT = (
    "The certifier states that the goods described here qualify as originating under Chapter 4 of the "
    "USMCA, that the information given is true and accurate, that the supporting documents will be kept "
    "and produced on request, and that any change affecting this certification will be reported to the "
    "persons who received it."
)


@dataclass(frozen=True)
class Certification:
    """The nine minimum data elements, numbered as in Annex 5-A."""

    role: CertifierRole  # 1. importer, exporter or producer certification
    certifier: str  # 2. certifier
    exporter: str  # 3.
    producer: str  # 4.
    importer: str  # 5.
    description: str  # 6. description of the good
    hs: str  # 6. HS classification (6 digits)
    criterion: str  # 7. origin criterion
    blanket_from: str  # 8. blanket period
    blanket_to: str
    signed_by: str  # 9. authorised signature and date
    signed_on: str
    statement: str = STATEMENT

    def elements(self) -> list[tuple[str, str]]:
        blanket = f"{self.blanket_from} to {self.blanket_to}" if self.blanket_from else "single shipment"
        return [
            ("1. Certification by", self.role),
            ("2. Certifier", self.certifier),
            ("3. Exporter", self.exporter or "(same as certifier)"),
            ("4. Producer", self.producer or "available upon request"),
            ("5. Importer", self.importer or "unknown"),
            ("6. Description and HS classification", f"{self.description} - HS {self.hs}"),
            ("7. Origin criterion", self.criterion),
            ("8. Blanket period", blanket),
            ("9. Authorized signature and date", f"{self.signed_by}, {self.signed_on}"),
        ]

    def to_json(self) -> str:
        return json.dumps({"usmca_certification_of_origin": asdict(self)}, indent=2)


def certify(
    bom: BOM,
    result: Determination,
    certifier: str,
    role: str = "producer",
    signed_by: str | None = None,
    signed_on: dt.date | None = None,
) -> Certification:
    """Build the certification; raises NotOriginating when the good does not qualify."""
    if role not in CERTIFIER_ROLES:
        raise InputError(f"--role {role!r} is not allowed; allowed values: {', '.join(CERTIFIER_ROLES)}")
    if not certifier.strip():
        raise InputError("--certifier is empty; give the certifier's name, title, address, telephone and email")
    if not result.qualifies or result.criterion is None:
        raise NotOriginating(
            f"{bom.source}: the good does not qualify as originating (run `nearshore origin check "
            f"{bom.source}` for the failing tests); no certification of origin can be made"
        )
    good = bom.good
    _check_blanket_period(bom)
    parties = bom.parties
    return Certification(
        role=role,
        certifier=certifier.strip(),
        exporter=parties.exporter,
        producer=parties.producer,
        importer=parties.importer,
        description=good.description,
        hs=dotted(good.hs, "subheading"),
        criterion=result.criterion,
        blanket_from=good.period_start.isoformat() if good.period_start else "",
        blanket_to=good.period_end.isoformat() if good.period_end else "",
        signed_by=(signed_by or certifier.split(",")[0]).strip(),
        signed_on=(signed_on or dt.date.today()).isoformat(),
    )


def _check_blanket_period(bom: BOM) -> None:
    """USMCA Art. 5.2: a blanket certification covers identical goods over a stated period of at most
    12 months; both ends are needed (leave `good.period` out for a single shipment)."""
    start, end = bom.good.period_start, bom.good.period_end
    if start is None and end is None:
        return
    if start is None or end is None:
        missing = "start" if start is None else "end"
        raise InputError(
            f"{bom.source}: good.period has no {missing}; give both start and end of the blanket period "
            "(YYYY-MM-DD), or leave period out for a single shipment"
        )
    try:
        limit = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        limit = dt.date(start.year + 1, 3, 1)
    if end >= limit:
        raise InputError(
            f"{bom.source}: good.period {start.isoformat()} to {end.isoformat()} is longer than 12 months; "
            f"a blanket certification covers at most 12 months (USMCA Art. 5.2): end it by "
            f"{(limit - dt.timedelta(days=1)).isoformat()}"
        )


def write_pdf(cert: Certification, path: Path) -> Path:
    """A one-page PDF of the nine data elements (needs the `pdf` extra: pip install 'nearshore[pdf]')."""
    pdf_class = fpdf_class()
    pdf = pdf_class(format="Letter")
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 10, "USMCA / T-MEC / CUSMA Certification of Origin", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    pdf.multi_cell(
        0,
        4,
        "Minimum data elements of USMCA Annex 5-A; prepared with nearshore.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    for label, value in cert.elements():
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 6, latin1(label), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 5, latin1(value), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.ln(3)
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(0, 4.5, latin1(cert.statement), new_x="LMARGIN", new_y="NEXT")
    return save_pdf(pdf, path)


def save_pdf(pdf: Any, path: Path | str) -> Path:
    """Write an fpdf document to `path`; a path that cannot be written is an input error naming it."""
    path = Path(path)
    try:
        pdf.output(str(path))
    except OSError as exc:
        raise InputError(
            f"{path}: cannot write the PDF ({exc.strerror or exc}); give a file in a folder that exists "
            "and that you can write to"
        ) from None
    return path


def latin1(text: str) -> str:
    """The core PDF fonts are Latin-1: replace what they cannot show."""
    return text.encode("latin-1", "replace").decode("latin-1")


def fpdf_class() -> Any:
    try:
        from fpdf import FPDF
    except ImportError:
        raise InputError("PDF output needs the optional 'pdf' extra: pip install 'nearshore[pdf]' (fpdf2)") from None
    return FPDF
