"""Fuzzing the settings (issue 10): any text in any NEARSHORE_* variable gives typed settings (numbers finite and
in range) or a ConfigError, exit 3, naming the variable; never a traceback, and never a secret in the message."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from nearshore.errors import ConfigError
from nearshore.settings import SETTINGS, Settings

NASTY = ("nan", "inf", "-inf", "Infinity", "1e999", "1e9", "-1", "0", "0.0", "1_000", "\u0661\u0662", "", " ", "\x00")
NASTY += ("true", "maybe", "3.5", "9" * 400, "0x10", "1e-400", "\n", "../../etc", "$HOME")


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(
    setting=st.sampled_from(SETTINGS),
    text=st.sampled_from(NASTY) | st.text(max_size=12),
)
def test_any_value_of_any_setting_is_read_or_refused_naming_the_variable(setting, text):
    error: ConfigError | None = None
    try:
        loaded = Settings.load({setting.env: text})
    except ConfigError as exc:
        error = exc
    if error is not None:
        assert error.exit_code == 3
        assert error.field == setting.env
        assert setting.env in str(error)
        if setting.secret and text.strip():
            assert text.strip() not in str(error)
        return
    if setting.type in ("int", "float"):
        value = loaded.integer(setting.name) if setting.type == "int" else loaded.number(setting.name)
        assert math.isfinite(value)
        assert setting.minimum is None or value >= setting.minimum
        assert setting.maximum is None or value <= setting.maximum
