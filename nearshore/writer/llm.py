"""A small client for OpenAI-compatible chat-completions endpoints (vLLM, Ollama, llama.cpp, hosted APIs).

Sends `POST {base_url}/chat/completions` and returns the answer text, with the reasoning a reasoning model
writes before it (`<think>...</think>`) removed. Retries 429/5xx/timeouts with backoff; then raises
LLMUnavailable. A reply that is not a chat completion raises LLMError.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nearshore.errors import ConfigError, LLMError, LLMUnavailable
from nearshore.settings import Settings

if TYPE_CHECKING:
    import httpx

_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"^```[a-z]*\n(.*?)\n```\s*$", re.DOTALL)
Message = dict[str, str]


@dataclass(frozen=True)
class LLMConfig:
    """Where and how to call the model."""

    base_url: str
    model: str
    api_key: str = ""
    timeout: float = 180.0
    retries: int = 2
    backoff: float = 1.0
    temperature: float = 0.3
    max_tokens: int = 4096

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
        )


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
        import httpx

        payload = {
            "model": self.config.model,
            "messages": messages,
            "temperature": self.config.temperature,
            "max_tokens": self.config.max_tokens,
            "stream": False,
        }
        headers = {"Authorization": f"Bearer {self.config.api_key}"} if self.config.api_key else {}
        last = ""
        for attempt in range(self.config.retries + 1):
            if attempt:
                time.sleep(self.config.backoff * 2 ** (attempt - 1))
            self.calls += 1
            try:
                response = self._http.post(self.url, json=payload, headers=headers, timeout=self.config.timeout)
            except httpx.TimeoutException:
                last = f"no reply within {self.config.timeout:g} s"
                continue
            except httpx.TransportError as exc:
                last = f"cannot reach the endpoint ({exc.__class__.__name__}: {exc})"
                continue
            if response.status_code == 429 or response.status_code >= 500:
                last = f"HTTP {response.status_code}: {response.text[:200]!r}"
                continue
            if response.status_code >= 400:
                raise LLMUnavailable(
                    f"{self.url} refused the request: HTTP {response.status_code}: {response.text[:300]!r}; "
                    "check NEARSHORE_LLM_MODEL and NEARSHORE_LLM_API_KEY"
                )
            return strip_reasoning(_answer(response, self.url))
        raise LLMUnavailable(
            f"{self.url} failed {self.config.retries + 1} time(s), last: {last}; check that "
            "the server is running, or raise NEARSHORE_LLM_TIMEOUT for slow models"
        )


def _answer(response: httpx.Response, url: str) -> str:
    try:
        body: Any = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise LLMError(f"{url} replied with something that is not JSON: {response.text[:200]!r}") from None
    try:
        content = body["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise LLMError(
            f"{url} replied without choices[0].message.content (not a chat completion): {json.dumps(body)[:200]}"
        ) from None
    if not isinstance(content, str):
        raise LLMError(f"{url} replied with non-text content: {json.dumps(content)[:200]}")
    return content
