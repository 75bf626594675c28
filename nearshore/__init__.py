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
    LLMError,
    LLMUnavailable,
    NearshoreError,
    Problem,
    RowCapReached,
    SourceFormatError,
    StoreError,
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
    "InputError",
    "LLMError",
    "LLMUnavailable",
    "NearshoreError",
    "Problem",
    "RowCapReached",
    "Settings",
    "SourceFormatError",
    "StoreError",
    "UnknownCodeError",
    "ValidationFailed",
    "VerificationFailed",
    "__version__",
]
