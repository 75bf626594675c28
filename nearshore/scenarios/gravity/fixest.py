"""The one door to pyfixest (an optional dependency): import it with a clear error, run it quietly.

pyfixest estimates the high-dimensional fixed-effects models (Bergé 2018's fixest algorithms, ported to Python).
It is behind the extra `nearshore[scenarios]`; without it the gravity estimation says how to install it. Its
warnings (pandas deprecations, separation notices) are caught here: the ones about the sample become notes on
the result, the rest are dropped, so a user's terminal and the test suite's warnings-as-errors stay clean.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from types import ModuleType
from typing import Any, Final, TypeVar

from nearshore.errors import ConfigError

EXTRA: Final = "scenarios"
T = TypeVar("T")


def pyfixest() -> ModuleType:
    """The pyfixest module, or a ConfigError naming the extra to install."""
    try:
        import pyfixest as module
    except ImportError as exc:
        raise ConfigError(
            f"gravity estimation needs pyfixest, which is not installed ({exc}); "
            f"install the optional extra: pip install 'nearshore[{EXTRA}]'"
        ) from None
    return module


def quietly(run: Callable[[], T]) -> tuple[T, list[str]]:
    """Run a pyfixest call; return its result and the warnings that say something about the sample."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run()
    notes = [str(w.message) for w in caught if _about_the_sample(w)]
    return result, list(dict.fromkeys(notes))


def _about_the_sample(warning: Any) -> bool:
    if issubclass(warning.category, (DeprecationWarning, FutureWarning, PendingDeprecationWarning)):
        return False
    text = str(warning.message).lower()
    return any(word in text for word in ("separation", "singleton", "collinear", "dropped", "removed"))


__all__ = ["EXTRA", "pyfixest", "quietly"]
