"""nearshore: North American trade intelligence from official data.

The public API is re-exported here; see docs/ for each capability.
"""

from __future__ import annotations

__version__ = "0.1.0"

from nearshore.errors import (
    ConfigError,
    DataNotFound,
    FetchClientError,
    FetchError,
    FetchServerError,
    InputError,
    MissingInputError,
    NearshoreError,
    PolicyCoverageError,
    Problem,
    RateParseError,
    SourceFormatError,
    StoreError,
    TariffError,
    UnknownCodeError,
    ValidationFailed,
)
from nearshore.settings import Settings

__all__ = [
    "ConfigError",
    "DataNotFound",
    "FetchClientError",
    "FetchError",
    "FetchServerError",
    "InputError",
    "MissingInputError",
    "NearshoreError",
    "PolicyCoverageError",
    "Problem",
    "RateParseError",
    "Settings",
    "SourceFormatError",
    "StoreError",
    "TariffError",
    "UnknownCodeError",
    "ValidationFailed",
    "__version__",
]
