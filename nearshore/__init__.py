"""nearshore: North American trade intelligence from official data.

The public API is declared here; see docs/ for each capability. The errors are imported with the package; every
other name (the analytics, `Settings`, `Store`, `calculate`, `determine`, `run_brief`) is imported on first use,
so `import nearshore` and a command's --help stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nearshore._lazy import exports as _exports
from nearshore._version import __version__  # written once, in the bottom layer; pyproject.toml reads it
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

if TYPE_CHECKING:
    from nearshore.analytics import (
        Figure,
        FigureTable,
        Period,
        Provenance,
        composition,
        duty_rate,
        event_window,
        share,
        top,
        unclaimed,
    )
    from nearshore.analytics.balance import balance  # each shares its name with its module
    from nearshore.analytics.concentration import concentration
    from nearshore.analytics.growth import growth
    from nearshore.analytics.utilisation import utilisation
    from nearshore.data.store import Store
    from nearshore.origin.determine import determine
    from nearshore.settings import Settings
    from nearshore.tariffs.duty import calculate
    from nearshore.writer.compose import run_brief

# public name -> the module that defines it, imported on first use
_ON_FIRST_USE = {
    **dict.fromkeys(
        (
            "Figure",
            "FigureTable",
            "Period",
            "Provenance",
            "balance",
            "composition",
            "concentration",
            "duty_rate",
            "event_window",
            "growth",
            "share",
            "top",
            "unclaimed",
            "utilisation",
        ),
        "nearshore.analytics",
    ),
    "Settings": "nearshore.settings",
    "Store": "nearshore.data.store",
    "calculate": "nearshore.tariffs.duty",
    "determine": "nearshore.origin.determine",
    "run_brief": "nearshore.writer.compose",
}


__getattr__, __dir__ = _exports(__name__, _ON_FIRST_USE)

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
