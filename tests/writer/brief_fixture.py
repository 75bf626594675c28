"""A complete brief from the fixture facts (made-up values), rendered once per test module."""

from __future__ import annotations

from pathlib import Path

from nearshore.writer.charts import Series, partner_shares, sector_composition, usmca_claimed
from nearshore.writer.facts import FactTable
from nearshore.writer.render import BriefFiles, BriefInfo, write_brief_files
from nearshore.writer.template import standard_outline, write_brief

from .conftest import FACTS, KEY_NUMBERS, ROLES

YEARS = [str(y) for y in range(2015, 2025)]
CHARTS = (
    partner_shares(
        [
            Series(
                "Mexico",
                tuple(zip(YEARS, [13.4, 13.4, 13.4, 13.6, 14.3, 13.9, 13.6, 13.6, 15.4, 15.49], strict=True)),
            ),
            Series(
                "China",
                tuple(zip(YEARS, [21.5, 21.1, 21.6, 21.2, 18.1, 18.6, 17.9, 16.5, 13.9, 13.38], strict=True)),
            ),
        ],
        "Test fixture",
    ),
    sector_composition("Mexico", [("Automotive", 31.4), ("Electronics", 22.05), ("Other", 46.55)], "Test fixture"),
    usmca_claimed("Mexico", [(f"2025-{m:02d}", 40.0 + m * 4) for m in range(1, 13)], "Test fixture"),
)


def render(out: Path, formats=("html", "md", "pdf")) -> tuple[BriefFiles, FactTable]:
    facts = FactTable(FACTS, allowed_years=(2026,))
    outline = standard_outline("us-mexico", "Mexico", 2024, ROLES, KEY_NUMBERS)
    draft = write_brief(outline, facts)
    info = BriefInfo(methodology=("Figures from the writer's test fixture (made-up values).",))
    return write_brief_files(draft, facts, CHARTS, out, "us-mexico-2024", formats, info), facts
