"""docs/cli.md is generated from the commands' --help and fails this test when it is stale."""

from __future__ import annotations

import pytest

from nearshore.cli.reference import TARGET, reference
from nearshore.services import REGISTRY


@pytest.fixture(scope="module")
def text() -> str:
    return reference()


def test_docs_cli_md_is_current(text: str) -> None:
    assert TARGET.read_text(encoding="utf-8") == text, "docs/cli.md is stale: run python -m nearshore.cli.reference"


def test_every_command_has_its_section_with_its_help(text: str) -> None:
    for name in REGISTRY:
        assert f"\n## nearshore {name.replace('.', ' ')}\n" in text, name
    assert "Example: nearshore tariff duty --hts 8708.99.81" in text
    assert "--rule-change" in text
