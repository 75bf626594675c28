"""Commands built from services: a command's options are its request's fields, so each option is written once.

    @command(app, "duty", tariffs.duty)
    def duty(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
        \"\"\"The stacked duty on one entry line ... Example: nearshore tariff duty --hts ...\"\"\"
        show(result, fmt, layouts.duty)

The decorated function renders: its docstring is the command's help, its parameters after `result` are the
options that only the command line has (--format, --quiet, --output). The command parses the request from the
options, opens the context the service needs (with the progress bar), calls the service once, hands the result
to the function, and turns a NearshoreError (or a result whose outcome is one) into `error: ...` on stderr, the
JSON error envelope with --format json, and the error's exit code.
"""

from __future__ import annotations

import inspect
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, Optional, TypeVar, Union, get_args, get_origin

import typer

from nearshore.cli.output import Format, fail
from nearshore.cli.progress import progress_bar
from nearshore.errors import NearshoreError
from nearshore.services.base import Result, Service, open_context
from nearshore.services.envelope import dumps, envelope
from nearshore.services.fields import FieldSpec, specs

F = TypeVar("F", bound=Callable[..., None])
KEYWORD = inspect.Parameter.KEYWORD_ONLY


def command(
    app: typer.Typer,
    name: str | None,
    svc: Service[Any, Any],
    *,
    confirm: Callable[[Any], str] | None = None,
    bare_help: bool = False,
) -> Callable[[F], F]:
    """Register a command `name` on `app` (None: the group's own callback, run when no subcommand is given).

    `confirm` asks its question (made from the request) before the service runs, unless --yes is given (the
    rendering function then declares `yes`); a no exits 1 with nothing done. `bare_help` (a group's callback):
    given no request option, the group prints its help and exits 0 instead of calling the service.
    """

    def register(render: F) -> F:
        fields = [_option(spec) for spec in specs(svc.request)]
        extras = _extras(render)
        cli_names = [p.name for p in extras]

        def callback(**given: Any) -> None:
            context = given.pop("cli_context", None)
            if context is not None and context.invoked_subcommand is not None:
                return
            cli = {key: given.pop(key) for key in cli_names}
            if bare_help and context is not None and svc.request(**given) == svc.request():
                typer.echo(context.get_help())
                raise typer.Exit(0)
            _run(svc, given, render, cli, confirm)

        parameters = [*fields, *extras]
        if name is None:
            parameters.insert(0, inspect.Parameter("cli_context", KEYWORD, annotation=typer.Context))
        callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        callback.__annotations__ = {p.name: p.annotation for p in parameters}
        callback.__doc__ = render.__doc__
        callback.__name__ = render.__name__
        if name is None:
            app.callback(invoke_without_command=True)(callback)
        else:
            app.command(name, short_help=short_help(render.__doc__))(callback)
        return render

    return register


def short_help(doc: str | None, limit: int = 60) -> str | None:
    """The command's line in its group's list: the help's first sentence, where "U.S." and "e.g." do not end
    one (click's own cut would list `balance` as "U.S."), shortened at a word past `limit` characters."""
    import re

    if not doc:
        return None
    first = " ".join(inspect.cleandoc(doc).split("\n\n")[0].split())
    match = re.search(r"(?<!\bU\.S)(?<!\be\.g)(?<!\bi\.e)\.(?=\s|$)", first)
    sentence = first[: match.start()] if match else first
    if len(sentence) <= limit:
        return sentence
    return sentence[: sentence.rfind(" ", 0, limit - 3)].rstrip(",;:") + "..."


def _run(
    svc: Service[Any, Any],
    given: dict[str, Any],
    render: Callable[..., None],
    cli: dict[str, Any],
    confirm: Callable[[Any], str] | None = None,
) -> None:
    as_json = str(cli.get("fmt", "")) == Format.json.value
    try:
        request = svc.request(**given)
        if confirm is not None and not cli.get("yes") and not typer.confirm(confirm(request)):
            raise typer.Exit(1)
        with (
            progress_bar(bool(cli.get("quiet"))) as bar,
            open_context(svc.access(request), progress=bar, notify=typer.echo) as ctx,
        ):
            result: Result[Any] = svc(ctx, request)
        render(result, **cli)
    except NearshoreError as exc:
        if as_json:
            sys.stdout.write(dumps(envelope(error=exc)) + "\n")
        fail(str(exc), exc.exit_code)
    if result.error is not None:  # the rows are printed (and in JSON the envelope carries the error)
        sys.stdout.flush()
        fail(str(result.error), result.error.exit_code)


def _option(spec: FieldSpec) -> inspect.Parameter:
    """A request field as a Typer option or argument, with its help, spellings and range."""
    default = ... if spec.required else (list(spec.default) if isinstance(spec.default, tuple) else spec.default)
    param = spec.param
    info = (
        typer.Argument(default, help=param.help)
        if param.argument
        else typer.Option(default, *spec.flags, help=param.help, min=param.min, max=param.max)
    )
    return inspect.Parameter(spec.name, KEYWORD, default=info, annotation=_cli_type(spec.type))


def _cli_type(hint: Any) -> Any:
    """The type Typer parses a field as: Literal sets as text (the request checks them and lists the allowed
    values), tuples as repeatable options, `X | None` as optional."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(hint) if a is not type(None)]
        return Optional[_cli_type(inner[0])]  # noqa: UP045  # Typer reads typing.Optional
    if origin is Literal:
        return str
    if origin is tuple:
        return list[_cli_type(get_args(hint)[0])]  # type: ignore[misc]
    if hint in (str, int, float, bool, Path):
        return hint
    raise TypeError(f"no command-line type for {hint!r}")


def _extras(render: Callable[..., None]) -> list[inspect.Parameter]:
    """The rendering function's own options (every parameter after `result`), annotations resolved."""
    found = list(inspect.signature(render).parameters.values())
    if not found or found[0].name != "result":
        raise TypeError(f"{render.__name__} must take the service's result as its first parameter")
    out = []
    for p in found[1:]:
        annotation = eval(p.annotation, render.__globals__) if isinstance(p.annotation, str) else p.annotation
        out.append(p.replace(kind=KEYWORD, annotation=annotation))
    return out
