"""The LLM client and writer with streamed replies (server-sent events from a real server on 127.0.0.1), token
counts, time limits and prompts sized for a small context window."""

from __future__ import annotations

import time

import pytest

from nearshore.errors import ConfigError
from nearshore.settings import Settings
from nearshore.writer.llm import ChatClient, LLMConfig, Usage, estimate_tokens
from nearshore.writer.llm_prompts import MAX_FINDINGS, first_prompt
from nearshore.writer.llm_writer import write_with_llm
from nearshore.writer.verifier import verify_text

from .chat_server import ChatServer, Reply, completion, stream
from .test_llm import GOOD, OUTLINE, OUTLINE2, PLAN, WRONG, fallback

USAGE = {"prompt_tokens": 321, "completion_tokens": 45, "total_tokens": 366}


def client_for(server, **options):
    config = {"timeout": 5.0, "retries": 0, "backoff": 0.01, "stream": True, **options}
    return ChatClient(LLMConfig(server.base_url, "test-model", **config))


def test_streamed_reply_is_assembled_with_the_servers_token_counts():
    with ChatServer([Reply(events=stream(GOOD, pieces=7, usage=USAGE))]) as server, client_for(server) as client:
        reply = client.reply([{"role": "user", "content": "hi"}], max_tokens=99)
    assert reply.text == GOOD
    assert reply.finish_reason == "stop"
    assert reply.usage == Usage(321, 45, exact=True)
    assert str(reply.usage) == "321 prompt + 45 completion tokens"
    sent = server.requests[0]["json"]
    assert (sent["stream"], sent["stream_options"], sent["max_tokens"]) == (True, {"include_usage": True}, 99)


def test_without_usage_the_client_counts_pieces_and_estimates_the_prompt():
    messages = [{"role": "user", "content": "x" * 300}]
    with ChatServer([Reply(events=stream(GOOD, pieces=5))]) as server, client_for(server) as client:
        reply = client.reply(messages)
    assert reply.text == GOOD
    assert reply.usage == Usage(estimate_tokens(messages), 5, exact=False)
    assert estimate_tokens(messages) == 116  # 300 characters at 2.7 per token, plus 4 for the message
    assert str(reply.usage) == "~116 prompt + ~5 completion tokens"


def test_reasoning_is_left_out_of_the_text_but_counted():
    events = stream("<think>15.49 rounds to 15.5</think>" + GOOD, pieces=3, reasoning="weigh 99% of it first")
    with ChatServer([Reply(events=events)]) as server, client_for(server) as client:
        reply = client.reply([{"role": "user", "content": "hi"}])
    assert reply.text == GOOD
    assert "99%" not in reply.text
    assert "15.49" not in reply.text
    assert reply.usage.completion_tokens == 3 + 3  # three reasoning pieces of 8 characters, three content pieces


def test_a_reply_still_streaming_at_the_timeout_is_cut_off_and_the_section_falls_back(facts):
    slow = Reply(events=stream(GOOD, pieces=40), event_delay=0.05)  # about 2 s in all
    with ChatServer([slow]) as server, client_for(server, timeout=0.6) as client:
        started = time.monotonic()
        run = write_with_llm(client, OUTLINE, facts, fallback, attempts=3)
        elapsed = time.monotonic() - started
    assert run.sections[0].writer == "template"
    assert len(server.requests) == 1  # no re-prompt after a timeout
    assert elapsed < 1.5
    (draft,) = run.outcomes[0].drafts
    assert draft.kinds == ("timeout",)
    assert run.rejections[0].reason == "no complete reply within 0.6 s; the partial text is not used"


def test_a_reply_cut_at_the_token_limit_is_rejected_then_repaired(facts):
    replies = [Reply(events=stream(GOOD[:40], finish="length")), Reply(events=stream(GOOD))]
    with ChatServer(replies) as server, client_for(server) as client:
        run = write_with_llm(client, OUTLINE, facts, fallback)
    assert run.sections[0].markdown == GOOD
    assert [d.kinds for d in run.outcomes[0].drafts] == [("cut-off",), ()]
    assert "write a shorter section" in server.requests[1]["json"]["messages"][-1]["content"]


def test_an_error_event_is_a_malformed_reply(facts):
    error = Reply(events=['data: {"error": {"message": "model crashed"}}'])
    with ChatServer([error, Reply(events=stream(GOOD))]) as server, client_for(server) as client:
        run = write_with_llm(client, OUTLINE, facts, fallback)
    assert run.sections[0].writer == "llm"
    assert run.outcomes[0].drafts[0].kinds == ("malformed",)
    assert "streamed an error instead of a chat completion chunk" in run.rejections[0].reason


def test_the_reply_is_given_what_the_context_leaves(facts):
    with ChatServer([Reply(body=completion(GOOD))]) as server, client_for(server, context=1024, max_tokens=4096) as c:
        write_with_llm(c, OUTLINE, facts, fallback)
    sent = server.requests[0]["json"]
    assert sent["max_tokens"] == 1024 - estimate_tokens(sent["messages"])
    assert 0 < sent["max_tokens"] < 1024


def test_a_prompt_too_long_for_the_context_is_not_sent(facts):
    prompt = estimate_tokens(first_prompt(OUTLINE, PLAN, facts))
    with ChatServer([Reply(body=completion(GOOD))]) as server, client_for(server, context=prompt + 10) as client:
        run = write_with_llm(client, OUTLINE, facts, fallback)
    assert server.requests == []
    assert run.sections[0].writer == "template"
    assert run.outcomes[0].drafts[0].kinds == ("too-long",)
    assert run.rejections[0].reason == (
        f"the prompt (about {prompt} tokens) leaves no room for a reply in a context of {prompt + 10} tokens; "
        "raise NEARSHORE_LLM_CONTEXT if the model holds more"
    )


def test_reprompts_keep_the_conversation_the_same_size(facts):
    many_wrong = " ".join([WRONG] * 6)  # six findings; the re-prompt quotes the first four
    with ChatServer([Reply(body=completion(many_wrong))]) as server, client_for(server, stream=False) as client:
        run = write_with_llm(client, OUTLINE, facts, fallback, attempts=3)
    assert [len(r["json"]["messages"]) for r in server.requests] == [2, 4, 4]
    feedback = server.requests[2]["json"]["messages"][3]["content"]
    assert feedback.count("\n- ") == MAX_FINDINGS + 1  # four findings and "and 2 more"
    assert "- and 2 more" in feedback
    assert len(run.outcomes[0].drafts[0].problems) == 6


def test_every_draft_is_recorded_with_tokens_and_time(facts):
    replies = [Reply(events=stream(WRONG, usage=USAGE)), Reply(events=stream("Claims rose.", usage=USAGE))]
    with ChatServer(replies) as server, client_for(server) as client:
        run = write_with_llm(client, OUTLINE2, facts, fallback, attempts=1)
    first, other = run.outcomes
    assert [d.text for d in first.drafts] == [WRONG]
    assert first.drafts[0].kinds == ("mismatch",)
    assert first.usage == Usage(321, 45)
    assert other.drafts[0].kinds == ("no-citation",)
    lines = run.usage_lines()
    assert lines[0].startswith("llm section relationship: template fallback after 1 attempt(s); 321 prompt + 45")
    assert lines[-1].startswith("llm total: 0 of 2 section(s) verified; 642 prompt + 90 completion tokens, ")
    assert run.seconds == pytest.approx(first.seconds + other.seconds)
    assert all(d.seconds > 0 for o in run.outcomes for d in o.drafts)
    published = "\n\n".join(s.markdown for s in run.sections)
    assert verify_text(published, facts).ok


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"NEARSHORE_LLM_STREAM": "maybe"},
            "setting llm_stream (NEARSHORE_LLM_STREAM) must be true or false, got maybe; "
            "allowed: true or false (also 1/0, yes/no, on/off)",
        ),
        (
            {"NEARSHORE_LLM_CONTEXT": "0"},
            "setting llm_context (NEARSHORE_LLM_CONTEXT) must be a whole number 256 or more, got 0; "
            "allowed: a whole number from 256 to 10,000,000 tokens",
        ),
        (
            {"NEARSHORE_LLM_MAX_TOKENS": "1.5"},
            "setting llm_max_tokens (NEARSHORE_LLM_MAX_TOKENS) must be a whole number 1 or more, got 1.5; "
            "allowed: a whole number from 1 to 10,000,000 tokens",
        ),
    ],
)
def test_bad_llm_settings_are_config_errors(env, message):
    base = {"NEARSHORE_LLM_BASE_URL": "http://127.0.0.1:1/v1", "NEARSHORE_LLM_MODEL": "m"}
    with pytest.raises(ConfigError) as err:  # settings are checked as they load
        LLMConfig.from_settings(Settings.load(env={**base, **env}))
    assert str(err.value) == message


def test_the_api_key_is_not_in_the_config_repr():
    config = LLMConfig("http://127.0.0.1:1/v1", "m", api_key="sekrit")
    assert "sekrit" not in repr(config)
    assert "api_key='***'" in repr(config)
