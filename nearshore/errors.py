"""One exception hierarchy for nearshore.

Every error says what went wrong, where (file, row, field or request), the offending value and how to fix it,
in words (the message) and as data: a stable `code`, the `exit_code` the CLI returns, and the attributes
`file`, `row`, `field`, `value` and `hint` (None when unknown). `to_dict()` gives all of them at once; the
CLI's JSON output, a batch error file and the API error body are built from it. No secret is ever put in an
error: raise sites name the setting, never its value.

    class                          code              exit code
    NearshoreError                 error              1   base of every error nearshore raises on purpose
    ├── ConfigError                config             3   a setting is missing or invalid
    ├── InputError                 input              2   user input (a file, an argument) is wrong
    │   ├── SourceFormatError      source_format          a source file is malformed: file, row, field, value
    │   │   └── ValidationFailed   validation_failed      several located problems in one file, reported together
    │   │       ├── InvalidBOM     invalid_bom            a bill of materials has problems; no determination made
    │   │       └── RuleFileError  rule_file              a user rule-of-origin file is malformed; nothing loaded
    │   ├── DatasetError           dataset                an exported dataset is missing, uncommitted or changed
    │   ├── UnknownCodeError       unknown_code           an unknown country / commodity / partner code
    │   │   └── InvalidHSCode      invalid_hs_code        not an HS code at all (also a ValueError)
    │   ├── RuleParseError         rule_parse             a rule sentence the grammar cannot read (also a ValueError)
    │   │   └── CodeListError      code_list              a list of HS codes in a rule holds something else
    │   └── TariffError            tariff                 a duty cannot be calculated as asked
    │       ├── RateParseError     rate_parse             a tariff rate text the parser does not understand
    │       ├── PolicyCoverageError  policy_coverage      a date or origin outside what the tariff policy covers
    │       └── MissingInputError  missing_input          the rate needs an input not given (quantity, unit, ...)
    ├── VerificationFailed         verification_failed 9 a brief has figures its cited facts do not support
    ├── LLMError                   llm_reply         10   the LLM endpoint replied with something unusable
    │   └── LLMUnavailable         llm_unavailable        the LLM endpoint kept failing (HTTP errors, timeouts)
    ├── NotConverged               not_converged      8   a model solver did not converge (iterations, residual)
    ├── OriginError                origin             7   a rules-of-origin request cannot be answered
    │   └── NotOriginating         not_originating        a certificate was asked for a good that does not qualify
    ├── StoreError                 store              4   the DuckDB store cannot be opened or written
    │   └── DataNotFound           data_not_found     5   a query asks for data the store does not hold
    │       └── NoRuleError        no_rule                no USMCA product-specific rule covers an HS code
    ├── FetchError                 fetch              6   a remote API call failed (`url` without key, `status`)
    │   ├── FetchClientError       fetch_client           the API refused the request (4xx): fix the request or key
    │   ├── FetchServerError       fetch_server           the API kept failing after retries (429/5xx, timeouts)
    │   ├── RowCapReached          row_cap_reached        a response filled the API's per-call row cap
    │   └── RemoteDataError        remote_data            the API answered data that fails validation; not stored
    ├── DeliveryError              delivery          11   the newsletter cannot be delivered as asked
    │   ├── AddressError           address            2   a malformed e-mail address or subscriber field (also input)
    │   ├── TokenError             token              2   a forged, expired or used confirm/unsubscribe link (input)
    │   ├── SignupLimited          signup_limited     2   too many sign-ups from one address or IP (also input)
    │   ├── MailServerError        mail_server            the SMTP or IMAP server refused, timed out or dropped
    │   └── SubscriberStoreError   subscriber_store   4   the newsletter database is locked, full or unreachable
    └── AccessError                access            12   an HTTP API call without a valid API key where one is needed
        ├── RateLimited            rate_limited           too many calls from one key or IP address; retry later
        └── BodyTooLarge           body_too_large         a request body over the size limit (api_max_body)

`Problem` is one located problem (a table's file, row and column, or a text file's line and field path);
`ValidationFailed` and its subclasses carry a list of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Self


class NearshoreError(Exception):
    """Base of every error nearshore raises on purpose.

    `NearshoreError("message")` still works; the location and the fix are optional keywords:
    `InputError("...", field="--hts", value="87O8", hint="write digits, e.g. 8708.29")`.
    """

    code: ClassVar[str] = "error"
    exit_code: ClassVar[int] = 1

    def __init__(
        self,
        message: str = "",
        *,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
        value: object = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.file = file
        self.row = row
        self.field = field
        self.value = None if value is None else str(value)
        self.hint = hint or None

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""

    def __str__(self) -> str:
        return self.message

    def locate(
        self,
        *,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
        value: object = None,
        hint: str | None = None,
    ) -> Self:
        """Fill in where the error is, for the attributes still unknown; returns the error to re-raise.

        A caller that knows what a lower layer did not (which argument or column a code came from) adds it:
        `except UnknownCodeError as exc: raise exc.locate(field="origin")`.
        """
        self.file = self.file if self.file is not None else file
        self.row = self.row if self.row is not None else row
        self.field = self.field if self.field is not None else field
        if self.value is None and value is not None:
            self.value = str(value)
        self.hint = self.hint or hint or None
        return self

    def to_dict(self) -> dict[str, Any]:
        """The error as data: {"code","message","file","row","field","value","hint","exit_code"}."""
        return {
            "code": self.code,
            "message": self.message,
            "file": self.file,
            "row": self.row,
            "field": self.field,
            "value": self.value,
            "hint": self.hint,
            "exit_code": self.exit_code,
        }

    def __reduce__(self) -> tuple[Any, ...]:
        # subclasses take other constructor arguments: rebuild from the message, then restore the attributes
        return (_rebuild, (type(self), self.message), self.__dict__)


def _rebuild(cls: type[NearshoreError], message: str) -> NearshoreError:
    error = NearshoreError.__new__(cls)
    NearshoreError.__init__(error, message)
    return error


class ConfigError(NearshoreError):
    """A setting is missing or has an invalid value (`field` is the environment variable)."""

    code = "config"
    exit_code = 3


class InputError(NearshoreError):
    """User input (a file or an argument) is wrong."""

    code = "input"
    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, located precisely.

    `by="row"` (tables): `file, row 3, column 'value': ... (value 'x'). fix`;
    `by="line"` (JSON/YAML records): `file, line 3, field 'scope[0]': ... (value 'x'); fix`.
    """

    file: str
    row: int | None
    field: str | None
    value: str | None
    message: str
    fix: str = ""
    by: Literal["row", "line"] = "row"

    def at(self, file: str, row: int | None) -> Problem:
        """The same problem placed in a file (for problems found before the file and line were known)."""
        return Problem(file, row, self.field, self.value, self.message, self.fix, self.by)

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", {self.by} {self.row}"
        if self.field:
            where += f", {'column' if self.by == 'row' else 'field'} {self.field!r}"
        text = f"{where}: {self.message}"
        if self.value is not None:
            text += f" (value {self.value!r})"
        if self.fix:
            text += f". {self.fix}" if self.by == "row" else f"; {self.fix}"
        return text


def _located(problem: Problem) -> dict[str, Any]:
    return {
        "file": problem.file or None,
        "row": problem.row,
        "field": problem.field,
        "value": problem.value,
        "hint": problem.fix or None,
    }


class SourceFormatError(InputError):
    """A source file is malformed; carries the location of the (first) problem."""

    code = "source_format"

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem), **_located(problem))
        self.problem = problem


def _listing(problems: Sequence[Problem], limit: int) -> str:
    shown = "\n".join(f"  - {p}" for p in problems[:limit])
    more = f"\n  ... and {len(problems) - limit} more" if len(problems) > limit else ""
    return shown + more


class ValidationFailed(SourceFormatError):
    """Several row-level problems in one file; nothing was loaded. Located at the first problem."""

    code = "validation_failed"

    def __init__(self, problems: list[Problem], limit: int = 20, *, outcome: str = "nothing was loaded") -> None:
        """`outcome` says what did not happen, for callers that do not load (e.g. "no duty was calculated")."""
        self._init(problems, f"{len(problems)} problem(s) found; {outcome}:\n{_listing(problems, limit)}")

    def _init(self, problems: list[Problem], message: str) -> None:
        InputError.__init__(self, message, **_located(problems[0]))
        self.problems = problems
        self.problem = problems[0]


class InvalidBOM(ValidationFailed):
    """A bill of materials has problems (every one listed); no determination was made on it."""

    code = "invalid_bom"

    def __init__(self, problems: list[Problem], limit: int = 50) -> None:
        self._init(
            problems,
            f"{len(problems)} problem(s) in the bill of materials; no determination was made:\n"
            + _listing(problems, limit),
        )


class RuleFileError(ValidationFailed):
    """A rule file has problems; nothing from it was loaded. `problems` holds each located line."""

    code = "rule_file"

    def __init__(self, file: str, problems: list[Problem], limit: int = 20) -> None:
        self._init(
            problems,
            f"{len(problems)} problem(s) in rule file {file}; nothing was loaded:\n{_listing(problems, limit)}",
        )
        self.file = file


class UnknownCodeError(InputError):
    """An unknown country, partner or commodity code."""

    code = "unknown_code"


class InvalidHSCode(UnknownCodeError, ValueError):
    """Something that is not an HS code at all (an input error, exit code 2; still a ValueError for callers
    of the HS-code functions)."""

    code = "invalid_hs_code"


class RuleParseError(InputError, ValueError):
    """A rule sentence does not follow the rule grammar; the message says which part."""

    code = "rule_parse"


class CodeListError(RuleParseError):
    """A fragment of a rule that should be a list of HS codes holds something else; the message quotes it."""

    code = "code_list"


class DatasetError(InputError):
    """An exported Parquet dataset (`nearshore data export`) cannot be read or written; `file` names the
    path or URI."""

    code = "dataset"


class VerificationFailed(NearshoreError):
    """A brief has figures that its cited facts do not support; the message lists each one."""

    code = "verification_failed"
    exit_code = 9


class LLMError(NearshoreError):
    """The LLM endpoint replied with something unusable (not a chat completion, or no answer text)."""

    code = "llm_reply"
    exit_code = 10


class LLMUnavailable(LLMError):
    """The LLM endpoint kept failing after the retries (HTTP errors, timeouts, connection refused)."""

    code = "llm_unavailable"


class NotConverged(NearshoreError):
    """A model's solver stopped before converging; no result was produced. Carries what was tried."""

    code = "not_converged"
    exit_code = 8

    def __init__(self, message: str, *, iterations: int, residual: float, tolerance: float) -> None:
        super().__init__(message)
        self.iterations = iterations
        self.residual = residual
        self.tolerance = tolerance


class OriginError(NearshoreError):
    """A rules-of-origin request cannot be answered as asked."""

    code = "origin"
    exit_code = 7


class NotOriginating(OriginError):
    """A certification of origin was requested for a good that does not qualify."""

    code = "not_originating"


class TariffError(InputError):
    """A duty cannot be calculated as asked."""

    code = "tariff"


class RateParseError(TariffError):
    """A tariff rate text the parser does not understand."""

    code = "rate_parse"


class PolicyCoverageError(TariffError):
    """A date or origin the tariff policy file does not cover."""

    code = "policy_coverage"


class MissingInputError(TariffError):
    """The rate needs an input that was not given (a quantity, its unit, a component value)."""

    code = "missing_input"


class StoreError(NearshoreError):
    """The store cannot be opened, read or written."""

    code = "store"
    exit_code = 4


class DataNotFound(StoreError):
    """A query asks for data the store does not hold; the message says what it does hold."""

    code = "data_not_found"
    exit_code = 5


class NoRuleError(DataNotFound):
    """No product-specific rule covers an HS code."""

    code = "no_rule"

    def __init__(self, hs: str, reason: str) -> None:
        super().__init__(f"no USMCA product-specific rule found for {hs}: {reason}", field="hs", value=hs)
        self.hs = hs
        self.reason = reason


class FetchError(NearshoreError):
    """A call to a remote API failed; `url` (never with the key) and `status` say which call and how."""

    code = "fetch"
    exit_code = 6

    def __init__(self, message: str, *, url: str = "", status: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.url = url
        self.status = status


class FetchClientError(FetchError):
    """The API refused the request (HTTP 4xx other than 429)."""

    code = "fetch_client"


class FetchServerError(FetchError):
    """The API kept failing after the retries (429, 5xx or timeouts)."""

    code = "fetch_server"


class RowCapReached(FetchError):
    """A response returned exactly the API's per-call row cap, so rows may be missing; nothing was stored."""

    code = "row_cap_reached"


class DeliveryError(NearshoreError):
    """The newsletter cannot be delivered as asked; subclasses say why. Exit code 11 unless a subclass is also
    an input or store error."""

    code = "delivery"
    exit_code = 11


class AddressError(DeliveryError, InputError):
    """A malformed e-mail address or subscriber field (CR/LF, markup, an unknown topic); `field` names it."""

    code = "address"
    exit_code = 2


class TokenError(DeliveryError, InputError):
    """A confirmation or unsubscribe link that is forged, expired or already used."""

    code = "token"
    exit_code = 2


class SignupLimited(DeliveryError, InputError):
    """Too many sign-ups from one address or IP address in the last hour; try again later."""

    code = "signup_limited"
    exit_code = 2


class MailServerError(DeliveryError):
    """The SMTP or IMAP server refused, timed out or dropped the connection; `reply` is its last answer."""

    code = "mail_server"

    def __init__(self, message: str, *, reply: str = "", hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.reply = reply


class SubscriberStoreError(DeliveryError, StoreError):
    """The newsletter database is locked, full or unreachable; nothing was changed."""

    code = "subscriber_store"
    exit_code = 4


class RemoteDataError(FetchError):
    """The API answered malformed data (bad JSON, cells, rows of another period); nothing of that period was
    stored. Not the user's input: the run reports the period failed and goes on, and the next run retries it."""

    code = "remote_data"


class AccessError(NearshoreError):
    """An HTTP API call without a valid API key where one is needed (a write, or any call when reads need a
    key). The message never repeats the key that was sent."""

    code = "access"
    exit_code = 12


class RateLimited(AccessError):
    """Too many calls from one API key or IP address; `retry_after` is the seconds until the next is allowed."""

    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: float, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.retry_after = retry_after


class BodyTooLarge(AccessError):
    """A request body over the server's size limit (setting api_max_body)."""

    code = "body_too_large"
