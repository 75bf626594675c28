"""The brief writer: facts, the verifier, the template and LLM writers, charts and rendering."""

from __future__ import annotations

from nearshore.writer.facts import Fact, FactTable, Unit, describe, display
from nearshore.writer.verifier import Finding, Match, Report, check_file, verify_text

__all__ = [
    "Fact",
    "FactTable",
    "Finding",
    "Match",
    "Report",
    "Unit",
    "check_file",
    "describe",
    "display",
    "verify_text",
]
