"""The brief writer: facts, the verifier, the template and LLM writers, charts and rendering.

Heavy parts (matplotlib charts, the PDF) import their libraries only when they draw.
"""

from __future__ import annotations

from nearshore.writer.charts import Chart, Series, partner_shares, sector_composition, usmca_claimed
from nearshore.writer.compose import BriefRun, Composition, Topic, compose_brief, run_brief
from nearshore.writer.facts import Fact, FactTable, Unit, describe, display
from nearshore.writer.llm import ChatClient, LLMConfig
from nearshore.writer.llm_writer import LLMRun, write_with_llm
from nearshore.writer.pipeline import BriefResult, produce_brief
from nearshore.writer.plan import Draft, Outline, Section, SectionPlan
from nearshore.writer.render import BriefFiles, BriefInfo, write_brief_files
from nearshore.writer.template import standard_outline, write_brief
from nearshore.writer.verifier import Finding, Match, Report, check_file, verify_text

__all__ = [
    "BriefFiles",
    "BriefInfo",
    "BriefResult",
    "BriefRun",
    "Chart",
    "ChatClient",
    "Composition",
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
    "Series",
    "Topic",
    "Unit",
    "check_file",
    "compose_brief",
    "describe",
    "display",
    "partner_shares",
    "produce_brief",
    "run_brief",
    "sector_composition",
    "standard_outline",
    "usmca_claimed",
    "verify_text",
    "write_brief",
    "write_brief_files",
    "write_with_llm",
]
