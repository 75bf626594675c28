"""The LLM writer's model as a service: `llm.serve-local` serves a small model on this machine (llama.cpp's
OpenAI-compatible server) until it is stopped. It runs a process rather than changing data, so it is marked as
a write: an HTTP API never offers it to an anonymous caller."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from nearshore.errors import LLMUnavailable
from nearshore.services.base import Context, Result, columns, service
from nearshore.services.fields import Request, opt

if TYPE_CHECKING:
    from nearshore.writer.local_server import LocalModel, LocalServer


@dataclass(frozen=True, kw_only=True)
class ServeLocalRequest(Request):
    model: Annotated[Path | None, opt("A .gguf file. Default: SmolLM2-135M-Instruct.", "--model", "-m")] = None
    port: Annotated[
        int | None, opt("Port on 127.0.0.1. Default: setting llm_local_port.", "--port", "-p", min=1, max=65535)
    ] = None
    context: Annotated[
        int | None, opt("Context window in tokens. Default: setting llm_local_context.", "--context", min=256)
    ] = None
    threads: Annotated[int | None, opt("CPU threads. Default: all cores.", "--threads", min=1)] = None
    log: Annotated[Path | None, opt("Server log file. Default: <data_dir>/llm-local.log.", "--log")] = None


@service("llm.serve-local", ServeLocalRequest, store="none", writes=True)
def serve_local(ctx: Context, r: ServeLocalRequest) -> Result[LocalModel]:
    """Serve a small local model as an OpenAI-compatible endpoint on 127.0.0.1 until Ctrl-C (or SIGTERM)."""
    from nearshore.writer.local_server import LocalModel, serve

    spec = LocalModel.from_settings(ctx.settings, path=r.model, port=r.port, context=r.context, threads=r.threads)
    log = r.log or ctx.settings.data_dir() / "llm-local.log"

    def ready(server: LocalServer) -> None:
        ctx.notify(
            "\n".join(
                [
                    f"serving {spec.path.name} at {spec.base_url} (context {spec.context} tokens, "
                    f"{spec.threads} thread(s)); log: {server.log}",
                    "point the LLM writer at it (then: nearshore brief --writer llm):",
                    *(f"export {name}={value}" for name, value in spec.environment().items()),
                    "stop with Ctrl-C",
                ]
            )
        )

    code = serve(spec, log, ready)
    error = None if code == 0 else LLMUnavailable(f"the local model server exited with code {code}; see {log}")
    return Result(
        "local model server stopped",
        columns("model", "endpoint", "exit code"),
        ((str(spec.path), spec.base_url, code),),
        spec,
        error=error,
    )


__all__ = ["ServeLocalRequest", "serve_local"]
