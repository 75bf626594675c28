from __future__ import annotations

import time
from dataclasses import replace

import pytest

from nearshore.errors import ConfigError, LLMError, LLMUnavailable
from nearshore.settings import Settings
from nearshore.writer.llm import ChatClient, LLMConfig, strip_reasoning
from nearshore.writer.llm_writer import write_with_llm
from nearshore.writer.plan import Outline, Section, SectionPlan
from nearshore.writer.verifier import verify_text

from .chat_server import ChatServer, Reply, completion

GOOD = (
    "Mexico supplied 15.5%[[fact:mex.imports.share.2024]] of U.S. goods imports in 2024, the "
    "largest[[fact:mex.imports.rank.2024]] share of any partner."
)
WRONG = (
    "Mexico supplied 15.8%[[fact:mex.imports.share.2024]] of U.S. goods imports in 2024, the "
    "largest[[fact:mex.imports.rank.2024]] share of any partner."
)
FALLBACK_TEXT = "Mexico ranked first[[fact:mex.imports.rank.2024]] among suppliers."

PLAN = SectionPlan(
    "relationship",
    "The trade relationship",
    "Mexico's place among U.S. suppliers.",
    "relationship",
    {"share": "mex.imports.share.2024", "rank": "mex.imports.rank.2024"},
)
PLAN2 = SectionPlan(
    "usmca", "USMCA", "Claims of USMCA preference.", "usmca", {"usmca_share": "mex.usmca.share.2025-06"}
)
OUTLINE = Outline("us-mexico", "Mexico", 2024, (PLAN,))
OUTLINE2 = Outline("us-mexico", "Mexico", 2024, (PLAN, PLAN2))


def fallback(plan, facts):
    return Section(plan.id, plan.title, FALLBACK_TEXT if plan.id == "relationship" else "", "template")


def client_for(server, timeout=5.0, retries=0, stream=False):
    config = LLMConfig(server.base_url, "test-model", "sekrit", timeout=timeout, retries=retries, backoff=0.01)
    return ChatClient(replace(config, stream=stream))


def test_good_reply_is_verified_and_used(facts):
    with ChatServer([Reply(body=completion(GOOD))]) as server, client_for(server) as client:
        run = write_with_llm(client, OUTLINE, facts, fallback)
    assert run.sections[0].markdown == GOOD
    assert run.sections[0].writer == "llm"
    assert run.outcomes[0].attempts == 1
    assert run.rejections == ()
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["json"]["model"] == "test-model"
    assert server.headers[0]["Authorization"] == "Bearer sekrit"
    assert request["json"]["stream"] is False
    user = request["json"]["messages"][1]["content"]
    assert "- 15.5%[[fact:mex.imports.share.2024]]: Mexico's share of U.S. goods imports (2024)" in user
    assert "- largest[[fact:mex.imports.rank.2024]]: Mexico's rank among U.S. import sources (2024)" in user
    assert "Write the section 'The trade relationship': Mexico's place among U.S. suppliers." in user
    assert "[[fact:ID]]" in request["json"]["messages"][0]["content"]


def test_wrong_figure_is_rejected_then_repaired(facts):
    replies = [Reply(body=completion(WRONG)), Reply(body=completion(GOOD))]
    with ChatServer(replies) as server, client_for(server) as client:
        run = write_with_llm(client, OUTLINE, facts, fallback)
    assert run.sections[0].markdown == GOOD
    assert run.outcomes[0].attempts == 2
    (rejection,) = run.rejections
    assert "'15.8%': does not match the cited fact: mex.imports.share.2024" in rejection.reason
    reprompt = server.requests[1]["json"]["messages"]
    assert reprompt[2] == {"role": "assistant", "content": WRONG}
    assert "The verifier rejected that draft" in reprompt[3]["content"]
    assert "'15.8%'" in reprompt[3]["content"]


def test_wrong_figure_every_time_falls_back_to_the_template(facts):
    with ChatServer([Reply(body=completion(WRONG))]) as server, client_for(server) as client:
        run = write_with_llm(client, OUTLINE, facts, fallback, attempts=3)
    assert run.sections[0].markdown == FALLBACK_TEXT
    assert run.sections[0].writer == "template"
    assert len(server.requests) == 3
    assert [r.attempt for r in run.rejections] == [1, 2, 3]
    assert run.summary()[0] == "section relationship: template fallback after 3 attempt(s)"
    assert run.usage_lines()[0] == (
        "llm section relationship: template fallback after 3 attempt(s); 30 prompt + 30 completion tokens, "
        f"{run.outcomes[0].seconds:.1f} s"
    )
    published = "\n\n".join(s.markdown for s in run.sections)
    assert verify_text(published, facts).ok


@pytest.mark.parametrize(
    "reply",
    [
        Reply(raw="<html>Bad Gateway</html>"),
        Reply(body={"error": "no choices here"}),
        Reply(body=completion("<think>Let me weigh 99% of things and never finish")),
    ],
)
def test_malformed_output_is_rejected_then_repaired(facts, reply):
    with ChatServer([reply, Reply(body=completion(GOOD))]) as server, client_for(server) as client:
        run = write_with_llm(client, OUTLINE, facts, fallback)
    assert run.sections[0].writer == "llm"
    (rejection,) = run.rejections
    assert rejection.attempt == 1
    assert (
        "not JSON" in rejection.reason
        or "without choices[0].message.content" in rejection.reason
        or "no answer text" in rejection.reason
    )


def test_draft_without_citations_is_rejected(facts):
    uncited = "Mexico remains an important partner for the United States."
    with (
        ChatServer([Reply(body=completion(uncited)), Reply(body=completion(GOOD))]) as server,
        client_for(server) as client,
    ):
        run = write_with_llm(client, OUTLINE, facts, fallback)
    assert run.sections[0].markdown == GOOD
    assert "cites no facts" in run.rejections[0].reason


def test_reasoning_is_stripped_before_verification(facts):
    reply = "<think>The share is 15.49, so 99% sure I should write 15.5%.</think>\n\n" + GOOD
    with ChatServer([Reply(body=completion(reply))]) as server, client_for(server) as client:
        run = write_with_llm(client, OUTLINE, facts, fallback)
    assert run.sections[0].markdown == GOOD


def test_server_error_is_retried_by_the_client(facts):
    replies = [Reply(status=500, raw='{"error": "overloaded"}'), Reply(body=completion(GOOD))]
    with ChatServer(replies) as server, client_for(server, retries=2) as client:
        run = write_with_llm(client, OUTLINE, facts, fallback)
    assert run.sections[0].writer == "llm"
    assert client.calls == 2


def test_persistent_500_falls_back_for_every_section(facts):
    with ChatServer([Reply(status=500, raw="boom")]) as server, client_for(server, retries=1) as client:
        run = write_with_llm(client, OUTLINE2, facts, fallback)
    assert [s.writer for s in run.sections] == ["template", "template"]
    assert len(server.requests) == 2  # one request plus one retry, then the second section is not tried
    first, second = run.rejections
    assert first.reason == (
        f"{server.base_url}/chat/completions failed 2 time(s), last: HTTP 500: 'boom'; "
        "check that the server is running, or raise NEARSHORE_LLM_TIMEOUT for slow models"
    )
    assert second.reason.startswith("not attempted: the endpoint is unavailable")


def test_timeout_falls_back(facts):
    with (
        ChatServer([Reply(body=completion(GOOD), delay=1.5)]) as server,
        client_for(server, timeout=0.3) as client,
    ):
        started = time.monotonic()
        run = write_with_llm(client, OUTLINE, facts, fallback)
        elapsed = time.monotonic() - started
    assert run.sections[0].writer == "template"
    assert "last: no reply within 0.3 s" in run.rejections[0].reason
    assert elapsed < 1.4


def test_client_error_is_not_retried():
    with (
        ChatServer([Reply(status=401, raw='{"error": "bad key"}')]) as server,
        client_for(server, retries=3) as client,
        pytest.raises(LLMUnavailable, match=r"refused the request: HTTP 401"),
    ):
        client.complete([{"role": "user", "content": "hi"}])
    assert len(server.requests) == 1


def test_non_text_content_is_malformed():
    with (
        ChatServer([Reply(body=completion(None))]) as server,
        client_for(server) as client,
        pytest.raises(LLMError, match="non-text content"),
    ):
        client.complete([{"role": "user", "content": "hi"}])


@pytest.mark.parametrize(
    ("raw", "answer"),
    [
        ("<think>x</think>Answer", "Answer"),
        ("reasoning without opening tag</think>\nAnswer", "Answer"),
        ("<THINK>a</THINK><think>b</think> Answer ", "Answer"),
        ("<think>never closed", ""),
        ("```markdown\nAnswer\n```", "Answer"),
    ],
)
def test_strip_reasoning(raw, answer):
    assert strip_reasoning(raw) == answer


def test_not_configured_is_a_clear_config_error():
    with pytest.raises(ConfigError) as err:
        LLMConfig.from_settings(Settings.load(env={}))
    assert str(err.value) == (
        "the LLM writer is not configured: set NEARSHORE_LLM_BASE_URL and NEARSHORE_LLM_MODEL (an "
        "OpenAI-compatible endpoint such as http://127.0.0.1:8000/v1 served by vLLM or Ollama, and its model "
        "name), or use --writer template"
    )
    config = LLMConfig.from_settings(
        Settings.load(env={"NEARSHORE_LLM_BASE_URL": "http://h:1/v1/", "NEARSHORE_LLM_MODEL": "qwq"})
    )
    assert (config.base_url, config.model, config.timeout, config.retries) == ("http://h:1/v1", "qwq", 180.0, 2)
    assert (config.context, config.max_tokens, config.stream) == (32768, 4096, True)


def test_connection_refused_falls_back_quickly(facts):
    import socket

    with socket.socket() as probe:  # a port on 127.0.0.1 that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = LLMConfig(f"http://127.0.0.1:{port}/v1", "m", timeout=2.0, retries=1, backoff=0.01)
    started = time.monotonic()
    with ChatClient(config) as client:
        run = write_with_llm(client, OUTLINE2, facts, fallback)
    assert time.monotonic() - started < 2.0
    assert [s.writer for s in run.sections] == ["template", "template"]
    assert "cannot reach the endpoint (ConnectError" in run.rejections[0].reason
