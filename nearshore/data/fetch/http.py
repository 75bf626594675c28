"""The HTTP layer both API clients share: one client factory and one GET helper with retries.

Retries (exponential backoff with jitter, or the server's Retry-After up to a cap) cover HTTP 429, 5xx,
timeouts, dropped connections, bodies that do not decode (a broken gzip) and JSON answers cut short. Every
attempt has an overall deadline besides the per-read timeout, so a server trickling bytes cannot hold a request
open. Any other 4xx is the request's fault and fails at once; so does a redirect, which these APIs use to send a
request without a valid key to a web page. API keys never appear in an error message: `redact` masks
`key=`/`subscription-key=`/`token=` values in URLs, and every secret the caller names is scrubbed from messages
the API sends back.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import logging
import random
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any

import httpx

from nearshore.data.sources.checks import parse_json
from nearshore.errors import FetchClientError, FetchError, FetchServerError, RemoteDataError
from nearshore.settings import Settings

_SECRET_PARAM = re.compile(r"((?:^|[?&;])(?:key|subscription-key|token|api_key|apikey)=)[^&;#\s]*", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
MESSAGE_LIMIT = 300
# Settings beyond these would make a run hang for hours; they are lowered, with a warning.
MAX_TIMEOUT = 300.0
MAX_RETRIES = 10
# The whole of one attempt (connect, headers, body) may take this many read timeouts, at most MAX_DEADLINE s.
DEADLINE_TIMEOUTS = 4
MAX_DEADLINE = 600.0
# Longest Retry-After honoured; a server asking for more is not called again in this run.
MAX_RETRY_AFTER = 120.0
# Waits at least this long are announced, so a pause is never silent.
ANNOUNCE_WAIT = 5.0
# Secrets shorter than this are masked only as URL parameters: masking them in text would mask ordinary words.
MIN_SECRET = 4

log = logging.getLogger("nearshore.fetch")


def redact(url: str) -> str:
    """The URL with the values of key-like query parameters replaced by ***."""
    return _SECRET_PARAM.sub(r"\1***", url)


def _warn(message: str) -> None:
    log.warning(message)


def make_client(settings: Settings | None = None, *, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """An httpx client with the configured timeout; tests pass `transport=httpx.MockTransport(handler)`.

    Connections are not kept alive, so every request opens its own socket, which the deadline can close.
    """
    from nearshore._version import __version__

    settings = settings or Settings.load()
    timeout = settings.number("http_timeout")
    if timeout > MAX_TIMEOUT:
        _warn(f"http_timeout {timeout:g} s is more than nearshore waits for one read; using {MAX_TIMEOUT:g} s")
        timeout = MAX_TIMEOUT
    return httpx.Client(
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": f"nearshore/{__version__} (+https://github.com/nearshore)"},
        follow_redirects=False,
        limits=httpx.Limits(max_keepalive_connections=0),
        transport=transport,
    )


def api_message(response: httpx.Response) -> str:
    """The API's own explanation from an error response: a JSON message field, or the text without markup."""
    text = response.text
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
        body = None
    if isinstance(body, dict):
        for name in ("message", "error", "errors", "detail", "title"):
            value = body.get(name)
            if value:
                text = value if isinstance(value, str) else json.dumps(value)
                break
    elif isinstance(body, list) and body:
        text = json.dumps(body)
    cleaned = _SPACE.sub(" ", _TAGS.sub(" ", text[: 20 * MESSAGE_LIMIT])).strip()
    if len(cleaned) > MESSAGE_LIMIT:
        cleaned = cleaned[:MESSAGE_LIMIT] + "..."
    return cleaned or "(empty body)"


def retry_after(response: httpx.Response, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> float | None:
    """Seconds the server asks us to wait (Retry-After as seconds or an HTTP date), or None."""
    raw = response.headers.get("Retry-After")
    if raw is None:
        return None
    raw = raw.strip()
    if raw.isascii() and raw.isdigit():
        return float(raw)
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
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


@dataclass(frozen=True)
class Answer:
    """A 2xx answer: the response, the request URL with secrets masked, and (get_json) the parsed body, or None
    when the body is empty or not JSON at all (an HTML page)."""

    response: httpx.Response
    shown: str
    data: Any = None


class _Retry(Exception):
    """One attempt failed in a way another attempt may not: `reason` ends up in the final message."""

    def __init__(self, reason: str, response: httpx.Response | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.response = response


class _Deadline:
    """Ends an attempt that runs past its deadline, even when the server sends a byte before each read times
    out: at the deadline a timer shuts the attempt's socket down, so the blocked read returns at once."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._timer.cancel()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace hook: take the socket as soon as the connection is made (before any header)."""
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            self._watch(info.get("return_value"))

    def watch(self, response: httpx.Response) -> None:
        """The response's socket (for a kept-alive connection, which made no new one)."""
        self._watch(response.extensions.get("network_stream"))

    def _watch(self, stream: Any) -> None:
        sock = stream.get_extra_info("socket") if stream is not None else None
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shutdown(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


@dataclass
class Http:
    """GET with retries over an injected `httpx.Client`; `sleep`, `jitter` and `notify` are injectable."""

    client: httpx.Client
    retries: int = 5
    backoff: float = 1.0
    max_backoff: float = 60.0
    max_retry_after: float = MAX_RETRY_AFTER
    secrets: Sequence[str] = ()
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random
    fix: Callable[[int], str] = _default_fix
    notify: Callable[[str], None] = _warn
    deadline: float | None = None
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
        retries = settings.integer("http_retries")
        if retries > MAX_RETRIES:
            _warn(f"http_retries {retries} is more than nearshore makes; using {MAX_RETRIES}")
            retries = MAX_RETRIES
        return cls(client, retries=retries, secrets=secrets, sleep=sleep, fix=fix)

    @classmethod
    @contextlib.contextmanager
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
        """`text` with key parameters and every secret (as a whole word, when long enough to be one) masked."""
        text = redact(text)
        for secret in self.secrets:
            if len(secret) >= MIN_SECRET:
                text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(secret)}(?![A-Za-z0-9])", "***", text)
        return text

    @property
    def overall(self) -> float:
        """Seconds one attempt may take in all: `deadline`, else a few read timeouts of the client."""
        if self.deadline is not None:
            return self.deadline
        read = self.client.timeout.read
        return MAX_DEADLINE if read is None else min(DEADLINE_TIMEOUTS * read, MAX_DEADLINE)

    def delay(self, attempt: int, response: httpx.Response | None) -> float:
        """Seconds to wait before retry number `attempt` (0-based): Retry-After, else backoff with jitter."""
        if response is not None:
            asked = retry_after(response)
            if asked is not None:
                return asked
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
        return self._request(url, params, headers, parse=False).response

    def get_json(
        self,
        url: str,
        *,
        params: Sequence[tuple[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        """`get`, with the body parsed when it is JSON: an answer cut short is retried like a 5xx, and malformed
        JSON (or JSON nested too deep) is a RemoteDataError. A body that is not JSON at all comes back with
        `data` None, for the client to explain (e.g. a key page)."""
        return self._request(url, params, headers, parse=True)

    def _request(
        self,
        url: str,
        params: Sequence[tuple[str, str]] | None,
        headers: Mapping[str, str] | None,
        *,
        parse: bool,
    ) -> Answer:
        shown = self.scrub(str(httpx.URL(url, params=params)))
        last = ""
        for attempt in range(self.retries + 1):
            try:
                return self._attempt(url, params, headers, parse)
            except _Retry as retry:
                last = retry.reason
                response = retry.response
            if attempt < self.retries:
                self.sleep(self._wait(attempt, response, shown))
        raise FetchServerError(
            f"{shown}: the API still failed after {self.retries} "
            f"{'retry' if self.retries == 1 else 'retries'}; last answer: {last}. "
            "Fix: try again later (runs resume where they stopped), or raise NEARSHORE_HTTP_RETRIES",
            url=shown,
            status=None,
        )

    def _wait(self, attempt: int, response: httpx.Response | None, shown: str) -> float:
        """The wait before the next attempt, announced when long; a Retry-After beyond the cap ends the request."""
        seconds = self.delay(attempt, response)
        if seconds > self.max_retry_after:
            until = (datetime.now(UTC) + timedelta(seconds=min(seconds, 1e9))).strftime("%Y-%m-%d %H:%M UTC")
            raise FetchServerError(
                f"{shown}: the API asks to wait {seconds:,.0f} s before the next call (Retry-After), more than the "
                f"{self.max_retry_after:g} s nearshore waits. Fix: try again after {until} (runs resume where they "
                "stopped)",
                url=shown,
                status=None if response is None else response.status_code,
            )
        if seconds >= ANNOUNCE_WAIT:
            self.notify(f"{shown}: waiting {seconds:.0f} s before retry {attempt + 1} of {self.retries}")
        return seconds

    def _attempt(
        self,
        url: str,
        params: Sequence[tuple[str, str]] | None,
        headers: Mapping[str, str] | None,
        parse: bool,
    ) -> Answer:
        self.calls += 1
        response = self._send(url, params, headers)
        shown = self.scrub(str(response.request.url))
        status = response.status_code
        if 300 <= status < 400:
            where = self.scrub(response.headers.get("Location", "(no Location header)"))
            raise FetchClientError(
                f"{shown}: the API answered HTTP {status}, a redirect to {where}, instead of data. "
                f"Fix: {self.fix(status)}",
                url=shown,
                status=status,
            )
        if status >= 400 and status not in RETRYABLE_STATUS:
            raise FetchClientError(
                f"{shown}: the API refused the request with HTTP {status}: {self.scrub(api_message(response))}. "
                f"Fix: {self.fix(status)}",
                url=shown,
                status=status,
            )
        if status >= 400:
            raise _Retry(f"HTTP {status}: {self.scrub(api_message(response))}", response)
        return Answer(response, shown, _json(response, shown) if parse else None)

    def _send(
        self, url: str, params: Sequence[tuple[str, str]] | None, headers: Mapping[str, str] | None
    ) -> httpx.Response:
        """One GET read in full within the deadline; transient failures raise _Retry."""
        response: httpx.Response | None = None
        with _Deadline(self.overall) as deadline:
            try:
                request = self.client.build_request(
                    "GET", url, params=list(params or ()), headers=headers, extensions={"trace": deadline.trace}
                )
                response = self.client.send(request, stream=True)
                try:
                    deadline.watch(response)
                    response.read()
                finally:
                    response.close()
            except httpx.TimeoutException as exc:
                raise _Retry(f"timed out ({type(exc).__name__})") from None
            except httpx.DecodingError as exc:
                encoding = "?" if response is None else response.headers.get("Content-Encoding", "?")
                raise _Retry(f"the body could not be decoded (Content-Encoding {encoding}): {exc}") from None
            except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                if deadline.expired:
                    raise _Retry(
                        f"took more than {deadline.seconds:g} s in all (the server sends too slowly)"
                    ) from None
                raise _Retry(f"connection failed ({type(exc).__name__}: {self.scrub(str(exc))})") from None
            except httpx.HTTPError as exc:
                shown = self.scrub(str(httpx.URL(url, params=params)))
                raise FetchError(
                    f"{shown}: the request could not be sent: {self.scrub(str(exc))}. Check the base URL setting",
                    url=shown,
                ) from None
        assert response is not None
        return response


def _json(response: httpx.Response, shown: str) -> Any:
    """The JSON body, None for an empty or non-JSON body; cut short -> _Retry; malformed -> RemoteDataError."""
    text = response.content.decode("utf-8", errors="replace").strip()
    if not text or text[0] not in "[{":
        return None
    try:
        return parse_json(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text) - 1 or exc.msg.startswith("Unterminated string"):
            raise _Retry(f"a JSON answer cut short after {len(text):,} characters", response) from None
        raise RemoteDataError(
            f"{shown}: the API answered malformed JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}). "
            "Fix: try again later (runs resume where they stopped)",
            url=shown,
            status=response.status_code,
        ) from None
    except ValueError as exc:
        raise RemoteDataError(
            f"{shown}: the API answered JSON that is not data ({exc}). Fix: try again later",
            url=shown,
            status=response.status_code,
        ) from None


__all__ = ["RETRYABLE_STATUS", "Answer", "Http", "api_message", "make_client", "redact", "retry_after"]
