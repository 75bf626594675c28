"""One exception hierarchy for nearshore.

Every error says what went wrong, where (file, row, field or request), the offending value and how to fix it.

    NearshoreError
    ├── ConfigError               a setting is missing or invalid
    ├── InputError                user input (a file, an argument) is wrong
    │   ├── SourceFormatError     a source file is malformed: carries file, row, column, value
    │   │   └── ValidationFailed  several row-level problems in one file, all reported together
    │   │       └── InvalidBOM    a bill of materials has problems; no origin determination was made
    │   ├── UnknownCodeError      an unknown country / commodity / partner code
    │   ├── RuleFileError         a user rule-of-origin file is malformed (every problem, file, line, field)
    │   ├── DatasetError          an exported Parquet dataset is missing, uncommitted, incomplete or unwritable
    │   └── TariffError           a duty cannot be calculated as asked
    │       ├── RateParseError    a tariff rate text the parser does not understand
    │       ├── PolicyCoverageError  a date or origin outside what the tariff policy file covers
    │       └── MissingInputError    the rate needs an input not given (quantity, unit, component value)
    ├── VerificationFailed        a brief has figures its cited facts do not support
    ├── LLMError                  the LLM endpoint replied with something unusable
    │   └── LLMUnavailable        the LLM endpoint kept failing (HTTP errors, timeouts, refused)
    ├── OriginError               a rules-of-origin request cannot be answered
    │   └── NotOriginating        a certificate was asked for a good that does not qualify
    ├── StoreError                the DuckDB store cannot be opened or written
    │   └── DataNotFound          a query asks for data the store does not hold
    │       └── NoRuleError       no USMCA product-specific rule covers an HS code
    └── FetchError                a remote API call failed
        ├── FetchClientError      the API refused the request (4xx): fix the request or key
        ├── FetchServerError      the API kept failing after retries (429/5xx, timeouts)
        └── RowCapReached         a response filled the API's per-call row cap and cannot be split further
"""

from __future__ import annotations

from dataclasses import dataclass


class NearshoreError(Exception):
    """Base of every error nearshore raises on purpose."""

    exit_code: int = 1


class ConfigError(NearshoreError):
    """A setting is missing or has an invalid value."""

    exit_code = 3


class InputError(NearshoreError):
    """User input (a file or an argument) is wrong."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, located precisely."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        text = f"{where}: {self.message}"
        if self.value is not None:
            text += f" (value {self.value!r})"
        if self.fix:
            text += f". {self.fix}"
        return text


class SourceFormatError(InputError):
    """A source file is malformed; carries the location of the first problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class ValidationFailed(SourceFormatError):
    """Several row-level problems in one file; nothing was loaded."""

    def __init__(self, problems: list[Problem], limit: int = 20, *, outcome: str = "nothing was loaded") -> None:
        """`outcome` says what did not happen, for callers that do not load (e.g. "no duty was calculated")."""
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:limit])
        more = f"\n  ... and {len(problems) - limit} more" if len(problems) > limit else ""
        InputError.__init__(self, f"{len(problems)} problem(s) found; {outcome}:\n{shown}{more}")
        self.problem = problems[0]


class InvalidBOM(ValidationFailed):
    """A bill of materials has problems (every one listed); no determination was made on it."""

    def __init__(self, problems: list[Problem], limit: int = 50) -> None:
        super().__init__(problems, limit)
        shown = "\n".join(f"  - {p}" for p in problems[:limit])
        more = f"\n  ... and {len(problems) - limit} more" if len(problems) > limit else ""
        self.args = (f"{len(problems)} problem(s) in the bill of materials; no determination was made:\n{shown}{more}",)


class UnknownCodeError(InputError):
    """An unknown country, partner or commodity code."""


class RuleFileError(InputError):
    """A rule file has problems; nothing from it was loaded. `problems` holds each located line."""

    def __init__(self, file: str, problems: list[str], limit: int = 20) -> None:
        self.file = file
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:limit])
        more = f"\n  ... and {len(problems) - limit} more" if len(problems) > limit else ""
        super().__init__(f"{len(problems)} problem(s) in rule file {file}; nothing was loaded:\n{shown}{more}")


class DatasetError(InputError):
    """An exported Parquet dataset (`nearshore data export`) cannot be read or written; `path` names it."""

    code = "dataset"

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(message)
        self.path = path


class VerificationFailed(NearshoreError):
    """A brief has figures that its cited facts do not support; the message lists each one."""

    exit_code = 9


class LLMError(NearshoreError):
    """The LLM endpoint replied with something unusable (not a chat completion, or no answer text)."""

    exit_code = 10


class LLMUnavailable(LLMError):
    """The LLM endpoint kept failing after the retries (HTTP errors, timeouts, connection refused)."""


class OriginError(NearshoreError):
    """A rules-of-origin request cannot be answered as asked."""

    exit_code = 7


class NotOriginating(OriginError):
    """A certification of origin was requested for a good that does not qualify."""


class TariffError(InputError):
    """A duty cannot be calculated as asked."""


class RateParseError(TariffError):
    """A tariff rate text the parser does not understand."""


class PolicyCoverageError(TariffError):
    """A date or origin the tariff policy file does not cover."""


class MissingInputError(TariffError):
    """The rate needs an input that was not given (a quantity, its unit, a component value)."""


class StoreError(NearshoreError):
    """The store cannot be opened, read or written."""

    exit_code = 4


class DataNotFound(StoreError):
    """A query asks for data the store does not hold; the message says what it does hold."""

    exit_code = 5


class NoRuleError(DataNotFound):
    """No product-specific rule covers an HS code."""

    def __init__(self, hs: str, reason: str) -> None:
        self.hs = hs
        self.reason = reason
        super().__init__(f"no USMCA product-specific rule found for {hs}: {reason}")


class FetchError(NearshoreError):
    """A call to a remote API failed; `url` (never with the key) and `status` say which call and how."""

    exit_code = 6

    def __init__(self, message: str, *, url: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class FetchClientError(FetchError):
    """The API refused the request (HTTP 4xx other than 429)."""


class FetchServerError(FetchError):
    """The API kept failing after the retries (429, 5xx or timeouts)."""


class RowCapReached(FetchError):
    """A response returned exactly the API's per-call row cap, so rows may be missing; nothing was stored."""
