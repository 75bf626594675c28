"""USMCA rules of origin: bill of materials, determination, what-if, duty interface, certification.

Library entry points: `load_bom` -> `determine` -> `Determination`; `check_bom` does all of a `check`;
`what_if`; `certify`; `DutyCalculator` (implemented by the tariff engine). The product-specific rules live in
`nearshore.origin.rules`. See docs/origin.md.
"""

from __future__ import annotations

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
from nearshore.origin.determine import determine
from nearshore.origin.duty import (
    DutyCalculator,
    DutyConsequence,
    DutyQuote,
    duty_consequence,
    register_duty_calculator,
)
from nearshore.origin.report import OriginReport, check_bom, check_directory
from nearshore.origin.result import AlternativeResult, Determination, ShiftResult, Test
from nearshore.origin.whatif import WhatIf, what_if

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
