"""One setting's declaration (name, default, environment variable, help, type and allowed range) and the
checking of a value against it; the table of every setting is in nearshore/settings.py."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from nearshore.errors import ConfigError

SettingType = Literal["str", "int", "float", "bool", "path", "secret"]
Value = str | int | float | bool | Path | None
TRUE = ("true", "1", "yes", "on")
FALSE = ("false", "0", "no", "off")


def _num(x: float) -> str:
    """A bound as people write it: 3600, 10,000,000 rather than 1e+07; 0.5 as is."""
    if not float(x).is_integer():
        return f"{x:g}"
    return f"{int(x):,}" if abs(x) >= 100_000 else str(int(x))


@dataclass(frozen=True)
class Setting:
    """One setting. Numbers are checked against `minimum` (or above it, when `above`) and `maximum`."""

    name: str
    default: str
    env: str
    help: str
    type: SettingType = "str"
    minimum: float | None = None
    maximum: float | None = None
    above: bool = False
    unit: str = ""

    @property
    def secret(self) -> bool:
        return self.type == "secret"

    @property
    def allowed(self) -> str:
        """What the setting accepts, in words: 'a whole number from 0 to 20', 'true or false', ..."""
        if self.type == "bool":
            return "true or false (also 1/0, yes/no, on/off)"
        if self.type == "path":
            return "a path"
        if self.type == "secret":
            return "text without line breaks or control characters"
        if self.type == "str":
            return "text"
        low, high = self.minimum, self.maximum
        if low is not None and high is not None:
            span = (
                f" above {_num(low)} and at most {_num(high)}" if self.above else f" from {_num(low)} to {_num(high)}"
            )
        elif low is not None:
            span = f" above {_num(low)}" if self.above else f" {_num(low)} or more"
        else:
            span = "" if high is None else f" at most {_num(high)}"
        unit = f" {self.unit}" if self.unit else ""
        return ("a whole number" if self.type == "int" else "a number") + span + unit

    def parse(self, raw: object) -> Value:
        """The typed value of `raw` (text from the environment, or a value given in code); ConfigError if invalid."""
        text = str(raw).strip()
        if self.type in ("int", "float", "bool") and text == "":
            text = self.default
        if self.type == "str":
            return str(raw)
        if self.type == "secret":
            if any(not ch.isprintable() for ch in text):  # a password may hold spaces; never a line break
                raise self._error("must be text without line breaks or control characters", text)
            return text
        if self.type == "path":
            if "\x00" in text:
                raise self._error("must be a path without NUL characters", text)
            return Path(text).expanduser() if text else None
        if self.type == "bool":
            if text.lower() in TRUE + FALSE:
                return text.lower() in TRUE
            raise self._error("must be true or false", text)
        return self._number(text)

    def _number(self, text: str) -> int | float:
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        low, high = self.minimum, self.maximum
        unit = f" {self.unit}" if self.unit else ""
        if self.type == "int":
            if not math.isfinite(number) or number != int(number) or (low is not None and number < low):
                lowest = "" if low is None else f" {_num(low)} or more"
                raise self._error(f"must be a whole number{lowest}", text)
        elif not math.isfinite(number):
            raise self._error("must be a finite number", text)
        elif low is not None and (number <= low if self.above else number < low):
            raise self._error(f"must be {'above' if self.above else 'at least'} {_num(low)}{unit}", text)
        if high is not None and number > high:
            raise self._error(f"must be at most {_num(high)}{unit}", text)
        return int(number) if self.type == "int" else number

    def _error(self, wrong: str, shown: str) -> ConfigError:
        """A ConfigError naming the variable, the value (never a secret's) and what is allowed."""
        got = "a value not shown (secret)" if self.secret else shown or "(empty)"
        return ConfigError(
            f"setting {self.name} ({self.env}) {wrong}, got {got}; allowed: {self.allowed}",
            field=self.env,
            value=None if self.secret else shown,
            hint=f"set {self.env} to {self.allowed}, or unset it for the default",
        )


__all__ = ["FALSE", "TRUE", "Setting", "SettingType", "Value"]
