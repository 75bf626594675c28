"""nearshore: North American trade intelligence from official data.

The public API is re-exported here; see docs/ for each capability. `Store`, `calculate`, `determine` and
`run_brief` bring in DuckDB, NumPy and the rule book, so they are imported on first use (a command's --help
stays fast); everything else is imported with the package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from nearshore._version import __version__  # written once, in the bottom layer; pyproject.toml reads it
from nearshore.analytics import (
    Figure,
    FigureTable,
    Period,
    Provenance,
    balance,
    composition,
    concentration,
    duty_rate,
    event_window,
    growth,
    share,
    top,
    unclaimed,
    utilisation,
)
from nearshore.errors import (
    AccessError,
    AddressError,
    BodyTooLarge,
    CodeListError,
    ConfigError,
    DataNotFound,
    DatasetError,
    DeliveryError,
    FetchClientError,
    FetchError,
    FetchServerError,
    InputError,
    InvalidBOM,
    InvalidHSCode,
    LLMError,
    LLMUnavailable,
    MailServerError,
    MissingInputError,
    NearshoreError,
    NoRuleError,
    NotConverged,
    NotOriginating,
    OriginError,
    PolicyCoverageError,
    Problem,
    RateLimited,
    RateParseError,
    RemoteDataError,
    RowCapReached,
    RuleFileError,
    RuleParseError,
    SignupLimited,
    SourceFormatError,
    StoreError,
    SubscriberStoreError,
    TariffError,
    TokenError,
    UnknownCodeError,
    ValidationFailed,
    VerificationFailed,
)
from nearshore.settings import Settings

if TYPE_CHECKING:
    from nearshore.data.store import Store
    from nearshore.origin.determine import determine
    from nearshore.tariffs.duty import calculate
    from nearshore.writer.compose import run_brief

_ON_FIRST_USE = {
    "Store": "nearshore.data.store",
    "calculate": "nearshore.tariffs.duty",
    "determine": "nearshore.origin.determine",
    "run_brief": "nearshore.writer.compose",
}


def __getattr__(name: str) -> Any:
    if name in _ON_FIRST_USE:
        return getattr(importlib.import_module(_ON_FIRST_USE[name]), name)
    raise AttributeError(f"module 'nearshore' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_ON_FIRST_USE})


__all__ = [
    "AccessError",
    "AddressError",
    "BodyTooLarge",
    "CodeListError",
    "ConfigError",
    "DataNotFound",
    "DatasetError",
    "DeliveryError",
    "FetchClientError",
    "FetchError",
    "FetchServerError",
    "Figure",
    "FigureTable",
    "InputError",
    "InvalidBOM",
    "InvalidHSCode",
    "LLMError",
    "LLMUnavailable",
    "MailServerError",
    "MissingInputError",
    "NearshoreError",
    "NoRuleError",
    "NotConverged",
    "NotOriginating",
    "OriginError",
    "Period",
    "PolicyCoverageError",
    "Problem",
    "Provenance",
    "RateLimited",
    "RateParseError",
    "RemoteDataError",
    "RowCapReached",
    "RuleFileError",
    "RuleParseError",
    "Settings",
    "SignupLimited",
    "SourceFormatError",
    "Store",
    "StoreError",
    "SubscriberStoreError",
    "TariffError",
    "TokenError",
    "UnknownCodeError",
    "ValidationFailed",
    "VerificationFailed",
    "__version__",
    "balance",
    "calculate",
    "composition",
    "concentration",
    "determine",
    "duty_rate",
    "event_window",
    "growth",
    "run_brief",
    "share",
    "top",
    "unclaimed",
    "utilisation",
]
