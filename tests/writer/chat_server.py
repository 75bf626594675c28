"""A real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions wire format, with scripted replies:
whole JSON bodies, or server-sent events as streaming servers (vLLM, Ollama, llama.cpp) send them."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def completion(content: str) -> dict[str, Any]:
    """A chat-completions response body as OpenAI-compatible servers (vLLM, Ollama) send it."""
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "test-model",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


def chunk(delta: dict[str, str] | None = None, finish: str | None = None, **extra: Any) -> dict[str, Any]:
    """One `chat.completion.chunk` event body."""
    choices = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}]
    body = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 1_700_000_000}
    return {**body, "model": "test-model", "choices": choices, **extra}


def stream(
    content: str,
    pieces: int = 4,
    *,
    finish: str = "stop",
    usage: dict[str, int] | None = None,
    reasoning: str = "",
) -> list[str]:
    """A reply as server-sent events: the role, `reasoning` (as `reasoning_content` deltas), `content` cut
    into `pieces`, the finish reason, a usage chunk when given (what `stream_options.include_usage` asks
    for), and `[DONE]`; with a keep-alive comment in between, as llama.cpp's server sends."""
    size = max(1, -(-len(content) // pieces))
    bodies = [chunk({"role": "assistant", "content": ""})]
    bodies += [chunk({"reasoning_content": reasoning[i : i + 8]}) for i in range(0, len(reasoning), 8)]
    bodies += [chunk({"content": content[i : i + size]}) for i in range(0, len(content), size)]
    bodies.append(chunk({}, finish))
    if usage is not None:
        bodies.append(chunk(None, usage=usage))
    events = [f"data: {json.dumps(b)}" for b in bodies]
    events.insert(1, ": ping - keep-alive")
    return [*events, "data: [DONE]"]


class Reply:
    """A scripted reply: `body` as JSON, `raw` text, or `events` streamed one by one `event_delay` apart."""

    def __init__(
        self,
        status: int = 200,
        body: Any = None,
        raw: str | None = None,
        delay: float = 0.0,
        events: list[str] | None = None,
        event_delay: float = 0.0,
    ):
        self.status, self.body, self.raw, self.delay = status, body, raw, delay
        self.events, self.event_delay = events, event_delay


class ChatServer:
    """Serves the scripted replies in order (the last one repeats); records each request."""

    def __init__(self, replies: list[Reply]) -> None:
        self.replies = list(replies)
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                server.requests.append({"path": self.path, "json": json.loads(self.rfile.read(length))})
                server.headers.append(dict(self.headers))
                reply = server.replies.pop(0) if len(server.replies) > 1 else server.replies[0]
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.events is not None:
                    self.send_events(reply)
                    return
                data = (reply.raw if reply.raw is not None else json.dumps(reply.body)).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def send_events(self, reply: Reply) -> None:
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "text/event-stream; charset=utf-8")
                    self.send_header("Cache-Control", "no-cache")
                    self.end_headers()
                    for event in reply.events or []:
                        self.wfile.write(f"{event}\r\n\r\n".encode())
                        self.wfile.flush()
                        if reply.event_delay:
                            time.sleep(reply.event_delay)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading (deadline test)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> ChatServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
