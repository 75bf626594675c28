"""A small client for OpenAI-compatible chat-completions endpoints (vLLM, Ollama, llama.cpp, hosted APIs).

Sends `POST {base_url}/chat/completions`, streamed as server-sent events (the default) or whole, and returns a
`ChatReply`: the answer text with the model's reasoning removed (`<think>...</think>` in the text, or a separate
`reasoning_content` field), why the model stopped, the tokens used and the seconds taken. Retries 429/5xx,
timeouts and refused connections with backoff, then raises LLMUnavailable. A reply that is not a chat
completion raises LLMError. A streamed reply still running at `timeout` seconds is cut off and returned with
finish_reason 'timeout'.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nearshore.errors import ConfigError, LLMError, LLMUnavailable
from nearshore.settings import Settings

if TYPE_CHECKING:
    import httpx

_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"^```[a-z]*\n(.*?)\n```\s*$", re.DOTALL)
Message = dict[str, str]
CHARS_PER_TOKEN = 2.7  # measured 2.85 on the brief's prompts with SmolLM2's tokenizer (fact ids split finely)


@dataclass(frozen=True)
class LLMConfig:
    """Where and how to call the model. `context` is the model's window in tokens: prompts and replies are
    sized to fit it; `max_tokens` caps one reply (reasoning included)."""

    base_url: str
    model: str
    api_key: str = ""
    timeout: float = 180.0
    retries: int = 2
    backoff: float = 1.0
    temperature: float = 0.3
    max_tokens: int = 4096
    context: int = 32768
    stream: bool = True

    def __repr__(self) -> str:
        key = "***" if self.api_key else ""
        return f"LLMConfig(base_url={self.base_url!r}, model={self.model!r}, api_key={key!r}, stream={self.stream})"

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> LLMConfig:
        settings = settings or Settings.load()
        base_url, model = settings.get("llm_base_url"), settings.get("llm_model")
        if not base_url or not model:
            missing = [
                env
                for env, value in (("NEARSHORE_LLM_BASE_URL", base_url), ("NEARSHORE_LLM_MODEL", model))
                if not value
            ]
            raise ConfigError(
                f"the LLM writer is not configured: set {' and '.join(missing)} (an OpenAI-compatible "
                "endpoint such as http://127.0.0.1:8000/v1 served by vLLM or Ollama, and its model name), "
                "or use --writer template"
            )
        if not base_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"setting llm_base_url (NEARSHORE_LLM_BASE_URL) must start with http:// or https://, got {base_url!r}"
            )
        return cls(
            base_url.rstrip("/"),
            model,
            settings.get("llm_api_key"),
            timeout=settings.number("llm_timeout"),
            retries=settings.integer("llm_retries"),
            max_tokens=settings.integer("llm_max_tokens"),
            context=settings.integer("llm_context"),
            stream=settings.flag("llm_stream"),
        )


@dataclass(frozen=True)
class Usage:
    """Tokens one reply (or a run) used. `exact` is False when the server reported none and the client counted:
    prompt tokens estimated from the text, completion tokens as streamed pieces."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    exact: bool = True

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.exact and other.exact,
        )

    def __str__(self) -> str:
        approx = "" if self.exact else "~"
        return f"{approx}{self.prompt_tokens} prompt + {approx}{self.completion_tokens} completion tokens"


@dataclass(frozen=True)
class ChatReply:
    """One answer: `text` without reasoning, `raw` as received, why it stopped ('stop', 'length', 'timeout'),
    the tokens used and the seconds from request to last byte."""

    text: str
    raw: str
    finish_reason: str
    usage: Usage
    seconds: float


def estimate_tokens(messages: Sequence[Message]) -> int:
    """Tokens a conversation takes, estimated from its length (a few per message for the chat template)."""
    return sum(math.ceil(len(m["content"]) / CHARS_PER_TOKEN) + 4 for m in messages)


def strip_reasoning(text: str) -> str:
    """The answer without the model's reasoning: drops `<think>...</think>` blocks, and everything before a
    lone `</think>` (some servers strip the opening tag). Unclosed reasoning leaves no answer ('')."""
    text = _THINK.sub("", text)
    if "</think>" in text.lower():
        text = re.split(r"</think>", text, flags=re.IGNORECASE)[-1]
    if "<think>" in text.lower():
        text = re.split(r"<think>", text, flags=re.IGNORECASE)[0]
    text = text.strip()
    fenced = _FENCE.match(text)
    return fenced.group(1).strip() if fenced else text


class ChatClient:
    """Chat completions over HTTP. Give `http` to reuse a client (tests pass their own)."""

    def __init__(self, config: LLMConfig, http: httpx.Client | None = None) -> None:
        import httpx

        self.config = config
        self._http = http or httpx.Client(timeout=httpx.Timeout(config.timeout, connect=min(10.0, config.timeout)))
        self.calls = 0

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ChatClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        return f"{self.config.base_url}/chat/completions"

    def complete(self, messages: list[Message]) -> str:
        """Send the conversation; return the answer text (reasoning removed)."""
        return self.reply(messages).text

    def reply(self, messages: list[Message], max_tokens: int | None = None) -> ChatReply:
        """Send the conversation; return the answer with its finish reason, tokens and time."""
        payload: dict[str, Any] = {
            "model": self.config.model,
            "messages": messages,
            "temperature": self.config.temperature,
            "max_tokens": max_tokens or self.config.max_tokens,
            "stream": self.config.stream,
        }
        if self.config.stream:
            payload["stream_options"] = {"include_usage": True}
        last = ""
        for attempt in range(self.config.retries + 1):
            if attempt:
                time.sleep(self.config.backoff * 2 ** (attempt - 1))
            self.calls += 1
            outcome = self._send(payload, messages)
            if isinstance(outcome, ChatReply):
                return outcome
            last = outcome
        raise LLMUnavailable(
            f"{self.url} failed {self.config.retries + 1} time(s), last: {last}; check that "
            "the server is running, or raise NEARSHORE_LLM_TIMEOUT for slow models"
        )

    def _send(self, payload: dict[str, Any], messages: list[Message]) -> ChatReply | str:
        """One request: the reply, or why it is worth retrying."""
        import httpx

        headers = {"Authorization": f"Bearer {self.config.api_key}"} if self.config.api_key else {}
        started = time.monotonic()
        try:
            with self._http.stream(
                "POST", self.url, json=payload, headers=headers, timeout=self.config.timeout
            ) as response:
                if response.status_code == 429 or response.status_code >= 500:
                    return f"HTTP {response.status_code}: {response.read().decode(errors='replace')[:200]!r}"
                if response.status_code >= 400:
                    raise LLMUnavailable(
                        f"{self.url} refused the request: HTTP {response.status_code}: "
                        f"{response.read().decode(errors='replace')[:300]!r}; "
                        "check NEARSHORE_LLM_MODEL and NEARSHORE_LLM_API_KEY"
                    )
                if "text/event-stream" in response.headers.get("content-type", ""):
                    deadline = started + self.config.timeout
                    raw, finish, usage = _read_events(response.iter_lines(), deadline, self.url)
                else:
                    raw, finish, usage = _read_whole(response.read(), self.url)
        except httpx.TimeoutException:
            return f"no reply within {self.config.timeout:g} s"
        except httpx.TransportError as exc:
            return f"cannot reach the endpoint ({exc.__class__.__name__}: {exc})"
        if usage is None or not usage.exact:
            counted = usage.completion_tokens if usage else max(1, math.ceil(len(raw) / CHARS_PER_TOKEN))
            usage = Usage(estimate_tokens(messages), counted, exact=False)
        return ChatReply(strip_reasoning(raw), raw, finish, usage, time.monotonic() - started)


def _read_whole(data: bytes, url: str) -> tuple[str, str, Usage | None]:
    try:
        body: Any = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise LLMError(
            f"{url} replied with something that is not JSON: {data.decode(errors='replace')[:200]!r}"
        ) from None
    try:
        choice = body["choices"][0]
        content = choice["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise LLMError(
            f"{url} replied without choices[0].message.content (not a chat completion): {json.dumps(body)[:200]}"
        ) from None
    if not isinstance(content, str):
        raise LLMError(f"{url} replied with non-text content: {json.dumps(content)[:200]}")
    return content, str(choice.get("finish_reason") or ""), _usage(body.get("usage"))


def _read_events(lines: Iterator[str], deadline: float, url: str) -> tuple[str, str, Usage | None]:
    """Collect a streamed reply: content deltas in order, the finish reason, and usage if the server sends it
    (a final chunk with `usage`, asked for by stream_options). Past the deadline the reply is cut off."""
    parts: list[str] = []
    pieces, finish, usage = 0, "", None
    for line in lines:
        if time.monotonic() > deadline:
            finish = "timeout"
            break
        if not line.startswith("data:"):
            continue  # comments (': ping'), event names, blank separators
        data = line[5:].strip()
        if data == "[DONE]":
            break
        try:
            chunk: Any = json.loads(data)
        except json.JSONDecodeError:
            raise LLMError(f"{url} streamed an event that is not JSON: {data[:200]!r}") from None
        if not isinstance(chunk, dict) or "error" in chunk:
            raise LLMError(f"{url} streamed an error instead of a chat completion chunk: {data[:200]}")
        usage = _usage(chunk.get("usage")) or usage
        for choice in chunk.get("choices") or []:
            delta = choice.get("delta") or {}
            content, reasoning = delta.get("content"), delta.get("reasoning_content")
            if isinstance(content, str) and content:
                parts.append(content)
            pieces += bool(content) or bool(reasoning)
            finish = choice.get("finish_reason") or finish
    if usage is None:
        usage = Usage(0, pieces, exact=False)
    return "".join(parts), str(finish), usage


def _usage(body: Any) -> Usage | None:
    if not isinstance(body, dict):
        return None
    prompt, completion = body.get("prompt_tokens"), body.get("completion_tokens")
    if not isinstance(prompt, int) or not isinstance(completion, int):
        return None
    return Usage(prompt, completion)
