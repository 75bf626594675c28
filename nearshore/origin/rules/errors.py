"""Errors of the rule package; both are `nearshore.errors` classes (InputError, DataNotFound).

InputError
└── RuleFileError    a user rule file is malformed: every problem with file, line and field
DataNotFound
└── NoRuleError      no product-specific rule covers the code; says why
"""

from __future__ import annotations

from dataclasses import dataclass

from nearshore.errors import DataNotFound, InputError


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


class RuleFileError(InputError):
    """A rule file has problems; nothing from it was loaded. `problems` holds each located line."""

    def __init__(self, file: str, problems: list[str], limit: int = 20) -> None:
        self.file = file
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:limit])
        more = f"\n  ... and {len(problems) - limit} more" if len(problems) > limit else ""
        super().__init__(
            f"{len(problems)} problem(s) in rule file {file}; nothing was loaded:\n{shown}{more}"
        )


class NoRuleError(DataNotFound):
    """No product-specific rule covers an HS code."""

    def __init__(self, hs: str, reason: str) -> None:
        self.hs = hs
        self.reason = reason
        super().__init__(f"no USMCA product-specific rule found for {hs}: {reason}")
