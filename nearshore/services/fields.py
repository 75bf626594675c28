"""Request fields written once: each carries its help text and spellings in its annotation, so the CLI builds
its options from the request type and an HTTP API can build its parameters from the same fields.

    @dataclass(frozen=True, kw_only=True)
    class ShareRequest(Request):
        partner: Annotated[str, opt("Partner: ISO3 (MEX), ISO2 (MX) or name.", "--partner", "-p")]
        flow: Annotated[FlowChoice, opt("imports, exports or total.")] = "imports"

A `Request` checks itself when made: Literal fields against their allowed values (the message lists them),
numbers against their declared range, tuples given as lists turned into tuples.
"""

from __future__ import annotations

import types
from dataclasses import MISSING, dataclass, fields
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

from nearshore.errors import InputError


@dataclass(frozen=True)
class Param:
    """How a request field is given: its help text, CLI spellings (default `--field-name`), whether it is a
    positional argument, and the range a number must lie in."""

    help: str
    flags: tuple[str, ...] = ()
    argument: bool = False
    min: float | None = None
    max: float | None = None

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> Any:
        """Pydantic (an HTTP API's request models and OpenAPI schema) shows the help as the description."""
        schema = handler(core_schema)
        schema["description"] = self.help
        return schema


def opt(help: str, *flags: str, min: float | None = None, max: float | None = None) -> Param:
    """An option: `opt("HTS code.", "--hts")`."""
    return Param(help, flags, False, min, max)


def arg(help: str) -> Param:
    """A positional argument on the command line."""
    return Param(help, (), True)


@dataclass(frozen=True)
class FieldSpec:
    """One request field as a caller sees it: name, type (Annotated stripped), default, Param, allowed values."""

    name: str
    type: Any
    default: Any
    required: bool
    param: Param
    choices: tuple[str, ...] = ()

    @property
    def flags(self) -> tuple[str, ...]:
        return self.param.flags or ("--" + self.name.replace("_", "-"),)


def specs(request: type[Any]) -> tuple[FieldSpec, ...]:
    """The fields of a request type in order, with their Params (a field without one is an error)."""
    held: Any = request  # a class is hashable; mypy reads type.__hash__ as unbound
    return _specs(held)


@cache
def _specs(request: Any) -> tuple[FieldSpec, ...]:
    hints = get_type_hints(request, include_extras=True)
    out = []
    for f in fields(request):
        hint = hints[f.name]
        params = [m for m in get_args(hint)[1:] if isinstance(m, Param)] if get_origin(hint) is Annotated else []
        if len(params) != 1:
            raise TypeError(f"{request.__name__}.{f.name} needs one Param in its Annotated type")
        base = get_args(hint)[0]
        factory = f.default_factory if callable(f.default_factory) else None
        required = f.default is MISSING and factory is None
        default = None if required else (factory() if factory is not None else f.default)
        out.append(FieldSpec(f.name, base, default, required, params[0], literal_values(base)))
    return tuple(out)


def literal_values(hint: Any) -> tuple[str, ...]:
    """The allowed values of a Literal type (or of `Literal[...] | None`); () for any other type."""
    if get_origin(hint) is Literal:
        return tuple(str(v) for v in get_args(hint))
    if get_origin(hint) in (Union, types.UnionType):
        return next((literal_values(a) for a in get_args(hint) if literal_values(a)), ())
    return ()


def is_tuple(hint: Any) -> bool:
    if get_origin(hint) in (Union, types.UnionType):
        return any(is_tuple(a) for a in get_args(hint))
    return get_origin(hint) is tuple


class Request:
    """Base of every request: validates the fields on construction (see the module docstring)."""

    def __post_init__(self) -> None:
        for spec in specs(self.__class__):
            value = getattr(self, spec.name)
            if isinstance(value, list) and is_tuple(spec.type):
                object.__setattr__(self, spec.name, tuple(value))
            if value is None:
                continue
            if spec.choices:
                from nearshore.analytics.result import choose  # the analytics package: on use

                choose(str(value), spec.choices, spec.name)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                _check_range(spec, value)


def _check_range(spec: FieldSpec, value: float) -> None:
    low, high = spec.param.min, spec.param.max
    if (low is None or value >= low) and (high is None or value <= high):
        return
    if low is not None and high is not None:
        span = f"from {low:g} to {high:g}"
    else:
        span = f"at least {low:g}" if low is not None else f"at most {high:g}"
    raise InputError(f"{spec.name} {value!r} is out of range: give a number {span}")


__all__ = ["FieldSpec", "Param", "Request", "arg", "is_tuple", "literal_values", "opt", "specs"]
