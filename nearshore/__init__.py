"""nearshore: North American trade intelligence from official data.

The public API is re-exported here; see docs/ for each capability.
"""

from __future__ import annotations

__version__ = "0.1.0"

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
    ConfigError,
    DataNotFound,
    FetchClientError,
    FetchError,
    FetchServerError,
    InputError,
    LLMError,
    LLMUnavailable,
    MissingInputError,
    NearshoreError,
    PolicyCoverageError,
    Problem,
    RateParseError,
    RowCapReached,
    SourceFormatError,
    StoreError,
    TariffError,
    UnknownCodeError,
    ValidationFailed,
    VerificationFailed,
)
from nearshore.settings import Settings

__all__ = [
    "ConfigError",
    "DataNotFound",
    "FetchClientError",
    "FetchError",
    "FetchServerError",
    "Figure",
    "FigureTable",
    "InputError",
    "LLMError",
    "LLMUnavailable",
    "MissingInputError",
    "NearshoreError",
    "Period",
    "PolicyCoverageError",
    "Problem",
    "Provenance",
    "RateParseError",
    "RowCapReached",
    "Settings",
    "SourceFormatError",
    "StoreError",
    "TariffError",
    "UnknownCodeError",
    "ValidationFailed",
    "VerificationFailed",
    "__version__",
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
]
