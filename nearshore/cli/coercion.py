"""A fast path for Typer's value coercion, so a command does not import pydantic to read `--value 10000`.

Typer (0.2x) turns every command-line value into its Python type through a pydantic `TypeAdapter` built on
first use: importing pydantic and building the adapters is ~0.1 s of a `nearshore tariff duty` run. Most values
are plain: text, a number written plainly, a flag's bool, a member of an Enum (--format), a path Typer checks
nothing of (no `exists=`, `dir_okay=`...). `quicken(command)` gives each of the command's parameters a coercion
that converts those directly and hands anything else (a checked path, a number with an exponent or `nan`, a value
out of range, a choice in another case, a bad value) to the coercion Typer would have built, built then; so the
values and every error message are Typer's own. Typer still parses the command line. If Typer's internals change
shape, `quicken` leaves the parameters as they are.
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from typer import Context

if TYPE_CHECKING:
    from typer import _click as click

_INT = re.compile(r"[+-]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[+-]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_MISS = object()
# a path option's checks as Typer leaves them when none is asked for: such a path is Path(text), nothing more
_PLAIN_PATH = {
    "exists": False,
    "file_okay": True,
    "dir_okay": True,
    "writable": False,
    "readable": True,
    "resolve_path": False,
    "allow_dash": False,
    "path_type": None,
}


def quicken(command: click.Command, help_names: list[str]) -> None:
    """Give every Typer parameter of `command` and its subcommands, their help option (`help_names`, made now
    as Click would make it on first use) included, the fast coercion (see the module docstring)."""
    if getattr(command, "_help_option", _MISS) is None:
        command.get_help_option(Context(command, help_option_names=help_names))
    for param in [*command.params, getattr(command, "_help_option", None)]:
        if getattr(param, "_runtime_param", _MISS) is None and hasattr(param, "type_descriptor"):
            param._runtime_param = QuickParam(param.type_descriptor)  # type: ignore[union-attr]
    for sub in getattr(command, "commands", {}).values():
        quicken(sub, help_names)


class QuickParam:
    """Typer's RuntimeParam interface (`coerce`) with the plain cases done here and the rest by Typer."""

    def __init__(self, descriptor: Any) -> None:
        self.descriptor = descriptor
        self._typer: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if ctx is None or ctx.token_normalize_func is None:
            multi = param.multiple or param.nargs == -1
            quick = _many(self.descriptor, value) if multi else _one(self.descriptor, value)
            if quick is not _MISS:
                return quick
        if self._typer is None:
            from typer._coercion import build_runtime_param

            self._typer = build_runtime_param(self.descriptor)
        return self._typer.coerce(value, param=param, ctx=ctx)


def _many(descriptor: Any, value: Any) -> Any:
    """A repeatable option's values (a list, as Typer's list adapter gives), each plain, or _MISS."""
    if value is None:
        return ()
    args: tuple[Any, ...] = getattr(descriptor.annotation, "__args__", ())
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or len(args) != 1 or args[0] is not str:
        return _MISS
    if descriptor.parameter_info.parser is not None or not all(isinstance(item, str) for item in value):
        return _MISS
    return list(value)


def _one(descriptor: Any, value: Any) -> Any:
    """One value converted as Typer converts it, when it is plain; else _MISS."""
    if value is None:
        return None
    annotation, info = descriptor.annotation, descriptor.parameter_info
    if info.parser is not None or descriptor.file_annotation is not None:
        return _MISS
    if annotation is str and isinstance(value, str):
        return value
    if annotation is bool and isinstance(value, bool):
        return value
    if annotation is Path and isinstance(value, (str, Path)) and "\x00" not in str(value):  # a Path: a default
        return Path(value) if all(getattr(info, k, _MISS) == v for k, v in _PLAIN_PATH.items()) else _MISS
    if annotation in (int, float) and not info.clamp and isinstance(value, (str, int, float)):
        return _number(annotation, value, info.min, info.max)
    if isinstance(annotation, type) and issubclass(annotation, Enum) and info.case_sensitive:
        if isinstance(value, annotation):
            return value
        if isinstance(value, str):
            return next((m for m in annotation if str(m.value) == value), _MISS)
    return _MISS


def _number(kind: type[Any], value: Any, low: float | None, high: float | None) -> Any:
    if isinstance(value, bool):
        return _MISS
    if isinstance(value, str):
        if not (_INT if kind is int else _FLOAT).fullmatch(value):
            return _MISS
        number = kind(value)
    elif kind is float or isinstance(value, int):
        number = kind(value)
    else:
        return _MISS
    if (low is not None and number < low) or (high is not None and number > high):
        return _MISS
    return number
