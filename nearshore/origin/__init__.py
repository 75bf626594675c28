"""USMCA rules of origin: bill of materials, determination, what-if, duty interface, certification.

Library entry points: `load_bom` -> `determine` -> `Determination`; `check_bom` does all of a `check`;
`what_if`; `certify`; `DutyCalculator` (implemented by the tariff engine). The product-specific rules live in
`nearshore.origin.rules`. See docs/origin.md.

The public names but `determine` are imported on first use, so that a command needing part of the engine
(`origin batch` on a portfolio file) does not import the rest (the certificate, the what-if, the BOM file readers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nearshore._lazy import exports as _exports

# imported now, not on first use: `determine` is also the name of its module, and importing that module (as the
# engine does) would bind the module, not the function, to the package's name
from nearshore.origin.determine import determine

if TYPE_CHECKING:
    from nearshore.origin.batch import check_directory
    from nearshore.origin.bom import (
        BOM,
        Accumulation,
        CorePart,
        Good,
        LabourValue,
        Material,
        NetCost,
        Parties,
        Purchase,
        RuleOverride,
        Vehicle,
    )
    from nearshore.origin.bom_io import bom_from_mapping, load_bom
    from nearshore.origin.certificate import Certification, certify, write_pdf
    from nearshore.origin.duty import (
        DutyCalculator,
        DutyConsequence,
        DutyQuote,
        duty_consequence,
        register_duty_calculator,
    )
    from nearshore.origin.report import OriginReport, check_bom
    from nearshore.origin.result import AlternativeResult, Determination, ShiftResult, Test
    from nearshore.origin.whatif import WhatIf, what_if

_ON_FIRST_USE = {
    **dict.fromkeys(
        (
            "BOM",
            "Accumulation",
            "CorePart",
            "Good",
            "LabourValue",
            "Material",
            "NetCost",
            "Parties",
            "Purchase",
            "RuleOverride",
            "Vehicle",
        ),
        f"{__name__}.bom",
    ),
    **dict.fromkeys(("bom_from_mapping", "load_bom"), f"{__name__}.bom_io"),
    **dict.fromkeys(("Certification", "certify", "write_pdf"), f"{__name__}.certificate"),
    **dict.fromkeys(
        ("DutyCalculator", "DutyConsequence", "DutyQuote", "duty_consequence", "register_duty_calculator"),
        f"{__name__}.duty",
    ),
    **dict.fromkeys(("OriginReport", "check_bom"), f"{__name__}.report"),
    "check_directory": f"{__name__}.batch",
    **dict.fromkeys(("AlternativeResult", "Determination", "ShiftResult", "Test"), f"{__name__}.result"),
    **dict.fromkeys(("WhatIf", "what_if"), f"{__name__}.whatif"),
}

__getattr__, __dir__ = _exports(__name__, _ON_FIRST_USE)

__all__ = [
    "BOM",
    "Accumulation",
    "AlternativeResult",
    "Certification",
    "CorePart",
    "Determination",
    "DutyCalculator",
    "DutyConsequence",
    "DutyQuote",
    "Good",
    "LabourValue",
    "Material",
    "NetCost",
    "OriginReport",
    "Parties",
    "Purchase",
    "RuleOverride",
    "ShiftResult",
    "Test",
    "Vehicle",
    "WhatIf",
    "bom_from_mapping",
    "certify",
    "check_bom",
    "check_directory",
    "determine",
    "duty_consequence",
    "load_bom",
    "register_duty_calculator",
    "what_if",
    "write_pdf",
]
