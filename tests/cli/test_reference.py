"""docs/cli.md is generated from the commands' --help and fails this test when it is stale."""

from __future__ import annotations

from nearshore.cli.reference import TARGET, reference
from nearshore.services import REGISTRY


def test_docs_cli_md_is_current() -> None:
    assert TARGET.read_text(encoding="utf-8") == reference(), (
        "docs/cli.md is stale: run python -m nearshore.cli.reference"
    )


def test_every_command_has_its_section_with_its_help() -> None:
    text = reference()
    for name in REGISTRY:
        assert f"\n## nearshore {name.replace('.', ' ')}\n" in text, name
    assert "Example: nearshore tariff duty --hts 8708.99.81" in text
    assert "--rule-change" in text
