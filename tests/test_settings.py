"""Typed, validated settings: each type's bad values are a ConfigError naming the variable, the value and the
allowed range; secrets never appear in a repr, a str or an error; docs/settings.md matches the table."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from nearshore.errors import ConfigError
from nearshore.settings import SETTINGS, Setting, Settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("env", "value", "message"),
    [
        ("NEARSHORE_HTTP_RETRIES", "nan", "must be a whole number 0 or more, got nan"),
        ("NEARSHORE_HTTP_RETRIES", "inf", "must be a whole number 0 or more, got inf"),
        ("NEARSHORE_HTTP_RETRIES", "1e9", "must be at most 20, got 1e9"),
        ("NEARSHORE_HTTP_RETRIES", "-1", "must be a whole number 0 or more, got -1"),
        ("NEARSHORE_HTTP_RETRIES", "five", "must be a whole number 0 or more, got five"),
        ("NEARSHORE_HTTP_TIMEOUT", "nan", "must be a finite number, got nan"),
        ("NEARSHORE_HTTP_TIMEOUT", "inf", "must be a finite number, got inf"),
        ("NEARSHORE_HTTP_TIMEOUT", "-inf", "must be a finite number, got -inf"),
        ("NEARSHORE_HTTP_TIMEOUT", "-5", "must be above 0 seconds, got -5"),
        ("NEARSHORE_HTTP_TIMEOUT", "86400", "must be at most 3600 seconds, got 86400"),
        ("NEARSHORE_LLM_ATTEMPTS", "0", "must be a whole number 1 or more, got 0"),
        ("NEARSHORE_LLM_TIMEOUT", "1e400", "must be a finite number, got 1e400"),
    ],
)
def test_bad_numbers_name_the_variable_the_value_and_the_range(env: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        Settings.load({env: value})
    error = info.value
    assert message in str(error)
    assert env in str(error)
    allowed = next(s.allowed for s in SETTINGS if s.env == env)
    assert str(error).endswith(f"; allowed: {allowed}")
    assert (error.field, error.value, error.exit_code, error.code) == (env, value, 3, "config")
    assert error.hint == f"set {env} to {allowed}, or unset it for the default"


def test_the_full_message_of_an_out_of_range_count() -> None:
    with pytest.raises(ConfigError) as info:
        Settings.load({"NEARSHORE_HTTP_RETRIES": "1e9"})
    assert str(info.value) == (
        "setting http_retries (NEARSHORE_HTTP_RETRIES) must be at most 20, got 1e9; "
        "allowed: a whole number from 0 to 20"
    )


def test_values_are_read_typed() -> None:
    settings = Settings.load(
        {"NEARSHORE_HTTP_RETRIES": " 7 ", "NEARSHORE_HTTP_TIMEOUT": "2.5", "NEARSHORE_DATA_DIR": "/tmp/ns"}
    )
    assert settings.integer("http_retries") == 7
    assert isinstance(settings.integer("http_retries"), int)
    assert settings.number("http_timeout") == 2.5
    assert settings.path("data_dir") == Path("/tmp/ns")
    assert settings.path("shared_dir") is None
    assert settings.number("llm_timeout") == 180.0  # the default, typed
    assert Settings.load({"NEARSHORE_HTTP_RETRIES": ""}).integer("http_retries") == 5  # empty: the default
    assert Settings.load({}, http_retries=3).integer("http_retries") == 3  # overrides may be typed values
    with pytest.raises(TypeError, match="setting http_retries has type int, not float"):
        settings.number("http_retries")


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("YES", True), ("1", True), ("off", False), ("0", False), ("", False)]
)
def test_flags(raw: str, expected: bool) -> None:
    flag = Setting("verbose", "false", "NEARSHORE_VERBOSE", "A flag.", "bool")
    assert flag.parse(raw) is expected


def test_a_flag_that_is_not_true_or_false() -> None:
    flag = Setting("verbose", "false", "NEARSHORE_VERBOSE", "A flag.", "bool")
    with pytest.raises(ConfigError, match=r"must be true or false, got maybe; allowed: true or false"):
        flag.parse("maybe")


def test_paths_and_text() -> None:
    path = Setting("somewhere", "", "NEARSHORE_SOMEWHERE", "A path.", "path")
    assert path.parse("") is None
    assert path.parse("~/x") == Path.home() / "x"
    with pytest.raises(ConfigError, match="must be a path without NUL characters"):
        path.parse("a\x00b")
    assert Setting("name", "", "NEARSHORE_NAME", "Text.").parse(" kept as given ") == " kept as given "


def test_an_unknown_setting_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"unknown setting 'http_retry'; known settings: api_briefs_dir, ") as info:
        Settings.load({}, http_retry="2")
    assert info.value.field == "http_retry"
    with pytest.raises(ConfigError, match="unknown setting 'nope'"):
        Settings.load({}).integer("nope")


def test_secrets_never_appear_in_repr_str_logs_or_errors(caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings.load({"CENSUS_API_KEY": "s3cret-key", "NEARSHORE_LLM_API_KEY": "llm-t0ken"})
    assert settings.get("census_api_key") == "s3cret-key"
    for text in (repr(settings), str(settings), f"{settings}", repr(settings.redacted())):
        assert "s3cret" not in text
        assert "llm-t0ken" not in text
    assert "census_api_key='***'" in repr(settings)
    with caplog.at_level(logging.INFO):
        logging.getLogger("nearshore.test").info("settings: %s", settings)
    assert "s3cret" not in caplog.text
    with pytest.raises(ConfigError) as info:
        Settings.load({"CENSUS_API_KEY": "s3cret key\nwith a line break"})
    error = info.value
    assert "s3cret" not in str(error)
    assert "s3cret" not in repr(error)
    assert "s3cret" not in repr(error.to_dict())
    assert str(error).startswith(
        "setting census_api_key (CENSUS_API_KEY) must be text without line breaks or control characters"
    )
    assert "got a value not shown (secret)" in str(error)


def test_docs_give_type_default_and_range_of_every_setting() -> None:
    text = (ROOT / "docs" / "settings.md").read_text()
    for s in SETTINGS:
        default = f"`{s.default}`" if s.default else "(empty)"
        secret = " Secret: never printed or logged." if s.secret else ""
        row = f"| `{s.name}` | `{s.env}` | {s.type} | {default} | {s.allowed} | {s.help}{secret} |"
        assert row in text, f"docs/settings.md has no up-to-date row for {s.name}"
