"""USMCA product-specific rules of origin: rule language, parser, shipped rules and their index."""

from __future__ import annotations

from nearshore.origin.rules.model import (
    Alternative,
    CodeRange,
    Condition,
    Level,
    NoChangeRequired,
    ProcessRule,
    ProductRule,
    RvcRequirement,
    TariffShift,
    normalize_hs,
)

__all__ = [
    "Alternative",
    "CodeRange",
    "Condition",
    "Level",
    "NoChangeRequired",
    "ProcessRule",
    "ProductRule",
    "RvcRequirement",
    "TariffShift",
    "normalize_hs",
]
