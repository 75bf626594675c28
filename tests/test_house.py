"""House rules that are cheap to check: public API declared once, settings documented."""

from __future__ import annotations

from pathlib import Path

import nearshore
from nearshore.settings import SETTINGS, Settings

ROOT = Path(__file__).resolve().parent.parent


def test_all_is_sorted_and_complete() -> None:
    assert nearshore.__all__ == sorted(nearshore.__all__)
    for name in nearshore.__all__:
        assert hasattr(nearshore, name), name


def test_docs_list_every_setting() -> None:
    text = (ROOT / "docs" / "settings.md").read_text()
    for setting in SETTINGS:
        assert f"`{setting.name}`" in text, setting.name
        assert f"`{setting.env}`" in text, setting.env
        assert setting.help in text, f"docs/settings.md has an old help text for {setting.name}"


def test_secrets_are_redacted() -> None:
    settings = Settings.load({"CENSUS_API_KEY": "s3cret"})
    assert settings.get("census_api_key") == "s3cret"
    assert "s3cret" not in repr(settings.redacted())
