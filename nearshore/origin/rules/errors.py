"""Problems found in rule files; the errors themselves (RuleFileError, NoRuleError) are in nearshore.errors."""

from __future__ import annotations

from dataclasses import dataclass

from nearshore.errors import NoRuleError, RuleFileError, UnknownCodeError

__all__ = ["InvalidHSCode", "NoRuleError", "RuleFileError", "RuleProblem"]


class InvalidHSCode(UnknownCodeError, ValueError):
    """A rule lookup given something that is not an HS code (an input error, exit code 2; still a
    ValueError for callers of `normalize_hs`)."""


@dataclass(frozen=True)
class RuleProblem:
    """One problem inside a rule object: the field path, the value, what is wrong and the fix."""

    field: str
    value: str | None
    message: str
    fix: str = ""

    def located(self, file: str, line: int) -> str:
        text = f"{file}, line {line}, field {self.field!r}: {self.message}"
        if self.value is not None:
            text += f" (value {self.value!r})"
        if self.fix:
            text += f"; {self.fix}"
        return text
