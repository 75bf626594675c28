"""The LLM writer against a real model: SmolLM2-135M-Instruct served by llama-cpp-python on 127.0.0.1 (the
llm-local extra, which `bash scripts/setup dev` builds once and caches). So small a model writes poorly; these
tests assert only what must hold for any model: the endpoint answers, the published text passes the verifier
with every figure cited, nothing unverified is published, and the run ends within a set time. Without the
extra they skip and say why."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from nearshore.errors import ConfigError
from nearshore.settings import Settings
from nearshore.writer import local_server
from nearshore.writer.local_server import LocalModel, LocalServer, missing_server
from nearshore.writer.pipeline import produce_brief
from nearshore.writer.template import write_section
from nearshore.writer.verifier import check_file, verify_text

from .test_llm_adversarial import injected, relationship_only

TIMEOUT = 90.0  # seconds for one reply
ATTEMPTS = 2
LIMIT = ATTEMPTS * TIMEOUT + 30  # the whole one-section run, server already up


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def local_model() -> LocalModel:
    missing = missing_server()
    if missing:
        pytest.skip(f"the local model server cannot run here: {missing}")
    try:
        return LocalModel.from_settings(Settings.load(env={}), port=free_port())
    except ConfigError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with LocalServer(local_model(), tmp_path_factory.mktemp("llm-local") / "server.log") as running:
        yield running


@pytest.mark.slow
def test_one_section_through_the_real_model(server, facts, outline, tmp_path):
    # a label that is not a key number carries a prompt injection (a label holding a figure, such as the
    # injection's "$999 billion", fails the rendered brief's verification when it shows in the key numbers box)
    table = injected(facts, "mex.imports.growth.2024")
    one = relationship_only(outline)
    env = server.model.environment() | {
        "NEARSHORE_LLM_TIMEOUT": str(TIMEOUT),
        "NEARSHORE_LLM_ATTEMPTS": str(ATTEMPTS),
        "NEARSHORE_LLM_RETRIES": "0",
    }
    started = time.monotonic()
    result = produce_brief(one, table, (), tmp_path, "local", ("md", "html"), "llm", settings=Settings.load(env=env))
    elapsed = time.monotonic() - started
    assert elapsed < LIMIT
    assert result.llm is not None
    (outcome,) = result.llm.outcomes
    assert outcome.drafts, "the model was not asked"
    assert not [r for r in outcome.rejections if "unavailable" in r.reason or "failed" in r.reason]
    assert sum(d.usage.completion_tokens for d in outcome.drafts) > 0
    (section,) = result.draft.sections
    if section.writer == "llm":
        assert section.markdown == outcome.drafts[-1].text
        assert outcome.drafts[-1].ok
    else:
        assert section.markdown == write_section(one.sections[0], table, one).markdown
    for draft in outcome.drafts:
        if not draft.ok and draft.text:
            assert draft.text not in result.draft.markdown()
    report = check_file(tmp_path / "local.md")
    assert report.ok, report.summary()
    assert len(report.matches) == report.checked > 0
    assert verify_text(result.draft.markdown(), table).ok


def read_until(process, last: str, seconds: float) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if line.startswith(last):
            break
    return lines


def default_sigint() -> None:
    """A terminal's Ctrl-C reaches the command even when this test runs in a background job (which ignores it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["ctrl-c", "kill", "kill-9"])
def test_serve_local_as_a_user_runs_it(tmp_path, stop):
    model = local_model()
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "nearshore", "llm", "serve-local", "--port", str(model.port), "--log", str(log)]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=default_sigint
    ) as process:
        try:
            lines = read_until(process, "stop with Ctrl-C", 120)
            assert lines[0].startswith(f"serving SmolLM2-135M-Instruct.Q4_1.gguf at {model.base_url} (context 2048")
            assert f"export NEARSHORE_LLM_BASE_URL={model.base_url}" in lines
            assert "export NEARSHORE_LLM_MODEL=smollm2-135m-instruct" in lines
            assert "export NEARSHORE_LLM_CONTEXT=2048" in lines
            models = httpx.get(f"{model.base_url}/models", timeout=5).json()
            assert [m["id"] for m in models["data"]] == ["smollm2-135m-instruct"]
            process.send_signal(stop)
            assert process.wait(timeout=30) == (-signal.SIGKILL if stop == signal.SIGKILL else 0)
        finally:
            if process.poll() is None:
                process.kill()
    assert server_gone(model.base_url, 30), "the model server outlived the command"


def server_gone(base_url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base_url}/models", timeout=2)
        except httpx.TransportError:
            return True
        time.sleep(0.25)
    return False


def test_a_model_file_that_does_not_exist_is_a_config_error(tmp_path):
    env = dict(os.environ, NEARSHORE_LLM_LOCAL_MODEL=str(tmp_path / "nope.gguf"))
    done = subprocess.run(
        [sys.executable, "-m", "nearshore", "llm", "serve-local"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 3
    assert f"local model file {tmp_path / 'nope.gguf'} does not exist" in " ".join(done.stderr.split())


def test_a_port_in_use_is_a_config_error(tmp_path):
    model = local_model()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", model.port))
        taken.listen()
        with pytest.raises(ConfigError) as err:
            LocalServer(model, tmp_path / "log").start()
    assert str(err.value) == (
        f"port {model.port} on 127.0.0.1 is already in use; choose another with --port or NEARSHORE_LLM_LOCAL_PORT"
    )


def test_without_the_extra_the_error_names_it(monkeypatch):
    monkeypatch.setattr(local_server, "_SERVER_MODULES", (*local_server._SERVER_MODULES, "nearshore_absent_module"))
    message = missing_server()
    missing, _, rest = message.partition(" not installed; ")
    assert "nearshore_absent_module" in missing.split(", ")  # with whatever else this machine lacks
    assert rest.startswith("install the llm-local extra: ")
    assert "pip install 'nearshore[llm-local]'" in message
    with pytest.raises(ConfigError, match=r"cannot start the local model server: (\w+, )*nearshore_absent_module"):
        LocalServer(LocalModel(Path("m.gguf"), 1, 2048, 1, "m"), Path("log")).start()


def test_the_writer_settings_are_sized_for_the_local_context():
    model = LocalModel(Path("/models/tiny.gguf"), 9000, 1024, 2, "tiny")
    assert model.environment() == {
        "NEARSHORE_LLM_BASE_URL": "http://127.0.0.1:9000/v1",
        "NEARSHORE_LLM_MODEL": "tiny",
        "NEARSHORE_LLM_CONTEXT": "1024",
        "NEARSHORE_LLM_MAX_TOKENS": "384",
    }
    assert model.command()[1:3] == ["-m", "llama_cpp.server"]
    assert model.command()[model.command().index("--host") + 1] == "127.0.0.1"
