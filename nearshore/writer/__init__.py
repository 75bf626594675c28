"""The brief writer: facts, the verifier, the template and LLM writers, charts and rendering."""

from __future__ import annotations

from nearshore.writer.facts import Fact, FactTable, Unit, describe, display
from nearshore.writer.llm import ChatClient, LLMConfig
from nearshore.writer.llm_writer import LLMRun, write_with_llm
from nearshore.writer.plan import Draft, Outline, Section, SectionPlan
from nearshore.writer.verifier import Finding, Match, Report, check_file, verify_text

__all__ = [
    "ChatClient",
    "Draft",
    "Fact",
    "FactTable",
    "Finding",
    "LLMConfig",
    "LLMRun",
    "Match",
    "Outline",
    "Report",
    "Section",
    "SectionPlan",
    "Unit",
    "check_file",
    "describe",
    "display",
    "verify_text",
    "write_with_llm",
]
