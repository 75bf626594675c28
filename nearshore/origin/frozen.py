"""Frozen dataclasses built in bulk: an __init__ that fills the instance in one step (`filled_at_once`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, fields
from typing import Any, TypeVar

_Frozen = TypeVar("_Frozen", bound=type)
DATACLASS_INITS: dict[type, Callable[..., None]] = {}  # each class's __init__ as dataclasses made it (tests)


def filled_at_once(cls: _Frozen) -> _Frozen:
    """The frozen dataclass `cls` with an __init__ of the same parameters and defaults that fills the instance's
    __dict__ in one step. The one dataclasses writes for a frozen class sets each field through
    object.__setattr__: several times the cost, when a batch of 10,000 BOMs builds as many goods and BOMs and
    about 100,000 tests and results. A field with a default factory, or a class with a __post_init__, is
    refused (TypeError)."""
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has a __post_init__, which a one-step __init__ would skip")
    params, values = [], []
    for f in fields(cls):
        if f.default_factory is not MISSING or not f.init or f.kw_only:
            raise TypeError(f"{cls.__name__}.{f.name}: only plain fields are filled at once")
        params.append(f.name if f.default is MISSING else f"{f.name}=_defaults[{f.name!r}]")
        values.append(f"{f.name!r}: {f.name}")
    source = f"def __init__(self, {', '.join(params)}):\n    _set(self, '__dict__', {{{', '.join(values)}}})\n"
    namespace: dict[str, Any] = {"_set": object.__setattr__, "_defaults": {f.name: f.default for f in fields(cls)}}
    exec(source, namespace)  # as dataclasses itself builds __init__: from the fields, once per class
    init, generated = namespace["__init__"], cls.__init__  # type: ignore[misc]
    init.__qualname__, init.__annotations__ = f"{cls.__qualname__}.__init__", generated.__annotations__
    DATACLASS_INITS[cls] = generated
    cls.__init__ = init  # type: ignore[misc]
    return cls


__all__ = ["DATACLASS_INITS", "filled_at_once"]
