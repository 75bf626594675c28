"""The HTTP layer both API clients share: one client factory and one GET helper with retries.

Retries (exponential backoff with jitter, or the server's Retry-After) cover HTTP 429, 5xx, timeouts and
dropped connections. Any other 4xx is the request's fault and fails at once; so does a redirect, which these
APIs use to send a request without a valid key to a web page. API keys never appear in an
error message: `redact` masks `key=`/`subscription-key=`/`token=` values in URLs, and every secret the caller
names is scrubbed from messages the API sends back.
"""

from __future__ import annotations

import email.utils
import json
import random
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from nearshore.errors import FetchClientError, FetchError, FetchServerError
from nearshore.settings import Settings

_SECRET_PARAM = re.compile(r"((?:^|[?&;])(?:key|subscription-key|token|api_key|apikey)=)[^&;#\s]*", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
MESSAGE_LIMIT = 300


def redact(url: str) -> str:
    """The URL with the values of key-like query parameters replaced by ***."""
    return _SECRET_PARAM.sub(r"\1***", url)


def make_client(settings: Settings | None = None, *, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """An httpx client with the configured timeout; tests pass `transport=httpx.MockTransport(handler)`."""
    from nearshore._version import __version__

    settings = settings or Settings.load()
    return httpx.Client(
        timeout=httpx.Timeout(settings.number("http_timeout")),
        headers={"User-Agent": f"nearshore/{__version__} (+https://github.com/nearshore)"},
        follow_redirects=False,
        transport=transport,
    )


def api_message(response: httpx.Response) -> str:
    """The API's own explanation from an error response: a JSON message field, or the text without markup."""
    text = response.text
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if isinstance(body, dict):
        for name in ("message", "error", "errors", "detail", "title"):
            value = body.get(name)
            if value:
                text = value if isinstance(value, str) else json.dumps(value)
                break
    elif isinstance(body, list) and body:
        text = json.dumps(body)
    cleaned = _SPACE.sub(" ", _TAGS.sub(" ", text)).strip()
    if len(cleaned) > MESSAGE_LIMIT:
        cleaned = cleaned[:MESSAGE_LIMIT] + "..."
    return cleaned or "(empty body)"


def retry_after(response: httpx.Response, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> float | None:
    """Seconds the server asks us to wait (Retry-After as seconds or an HTTP date), or None."""
    raw = response.headers.get("Retry-After")
    if raw is None:
        return None
    raw = raw.strip()
    if raw.isdigit():
        return float(raw)
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now()).total_seconds())


def _default_fix(status: int) -> str:
    if status in (401, 403) or 300 <= status < 400:
        return "check the API key setting"
    if status == 404:
        return "check the base URL setting and the endpoint"
    return "check the request's parameters"


@dataclass
class Http:
    """GET with retries over an injected `httpx.Client`; `sleep` and `jitter` are injectable for tests."""

    client: httpx.Client
    retries: int = 5
    backoff: float = 1.0
    max_backoff: float = 60.0
    max_retry_after: float = 600.0
    secrets: Sequence[str] = ()
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random
    fix: Callable[[int], str] = _default_fix
    calls: int = field(default=0, init=False)

    @classmethod
    def from_settings(
        cls,
        client: httpx.Client,
        settings: Settings,
        *,
        secrets: Sequence[str] = (),
        sleep: Callable[[float], None] = time.sleep,
        fix: Callable[[int], str] = _default_fix,
    ) -> Http:
        return cls(client, retries=settings.integer("http_retries"), secrets=secrets, sleep=sleep, fix=fix)

    @classmethod
    @contextmanager
    def session(
        cls,
        client: httpx.Client | None,
        settings: Settings,
        *,
        secrets: Sequence[str] = (),
        sleep: Callable[[float], None] = time.sleep,
        fix: Callable[[int], str] = _default_fix,
    ) -> Iterator[Http]:
        """`from_settings` over `client`, or over a new `make_client(settings)` closed when the block ends."""
        used = client or make_client(settings)
        try:
            yield cls.from_settings(used, settings, secrets=secrets, sleep=sleep, fix=fix)
        finally:
            if client is None:
                used.close()

    def scrub(self, text: str) -> str:
        text = redact(text)
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, "***")
        return text

    def delay(self, attempt: int, response: httpx.Response | None) -> float:
        """Seconds to wait before retry number `attempt` (0-based): Retry-After, else backoff with jitter."""
        if response is not None:
            asked = retry_after(response)
            if asked is not None:
                return min(asked, self.max_retry_after)
        ceiling = min(self.max_backoff, self.backoff * 2**attempt)
        return float(ceiling / 2 + self.jitter() * ceiling / 2)

    def get(
        self,
        url: str,
        *,
        params: Sequence[tuple[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """The 2xx response; FetchClientError on other 4xx, FetchServerError once retries run out."""
        shown = str(httpx.URL(url, params=params))
        last = ""
        for attempt in range(self.retries + 1):
            response: httpx.Response | None = None
            try:
                self.calls += 1
                response = self.client.get(url, params=list(params or ()), headers=headers)
            except httpx.TimeoutException as exc:
                last = f"timed out ({type(exc).__name__})"
            except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                last = f"connection failed ({type(exc).__name__}: {self.scrub(str(exc))})"
            except httpx.HTTPError as exc:
                raise FetchError(
                    f"{self.scrub(shown)}: the request could not be sent: {self.scrub(str(exc))}. "
                    "Check the base URL setting",
                    url=self.scrub(shown),
                ) from None
            if response is not None:
                shown = str(response.request.url)
                status = response.status_code
                if status < 300:
                    return response
                if status < 400:
                    where = self.scrub(response.headers.get("Location", "(no Location header)"))
                    raise FetchClientError(
                        f"{self.scrub(shown)}: the API answered HTTP {status}, a redirect to {where}, "
                        f"instead of data. Fix: {self.fix(status)}",
                        url=self.scrub(shown),
                        status=status,
                    )
                if status not in RETRYABLE_STATUS:
                    message = self.scrub(api_message(response))
                    raise FetchClientError(
                        f"{self.scrub(shown)}: the API refused the request with HTTP {status}: {message}. "
                        f"Fix: {self.fix(status)}",
                        url=self.scrub(shown),
                        status=status,
                    )
                last = f"HTTP {status}: {self.scrub(api_message(response))}"
            if attempt < self.retries:
                self.sleep(self.delay(attempt, response))
        raise FetchServerError(
            f"{self.scrub(shown)}: the API still failed after {self.retries} "
            f"{'retry' if self.retries == 1 else 'retries'}; last answer: {last}. "
            "Fix: try again later (runs resume where they stopped), or raise NEARSHORE_HTTP_RETRIES",
            url=self.scrub(shown),
            status=None,
        )


__all__ = ["RETRYABLE_STATUS", "Http", "api_message", "make_client", "redact", "retry_after"]
