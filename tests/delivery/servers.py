"""Real servers on 127.0.0.1 for the newsletter tests: aiosmtpd (plain, STARTTLS, one that drops the
connection mid-DATA, one that defers or refuses recipients), and PostgreSQL started with initdb/pg_ctl."""

from __future__ import annotations

import contextlib
import email
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Inbox:
    """What the server accepted: (envelope recipients, raw bytes) per message."""

    received: list[tuple[list[str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    refuse: dict[str, str] = field(default_factory=dict)  # recipient -> reply to RCPT TO
    defer_once: set[str] = field(default_factory=set)  # recipients answered 451 the first time

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        if address in self.defer_once:
            self.defer_once.discard(address)
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), bytes(envelope.original_content or envelope.content)))
        return "250 2.0.0 queued"

    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [email.message_from_bytes(raw, policy=default) for _, raw in self.received]

    def recipients(self) -> list[str]:
        with self.lock:
            return [r for rcpts, _ in self.received for r in rcpts]


class DroppingSMTP(SMTP):
    """Drops the connection in the middle of the DATA of the first `drops` messages."""

    drops = 1

    async def smtp_DATA(self, arg: str) -> None:
        if DroppingSMTP.drops > 0:
            DroppingSMTP.drops -= 1
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            await self._reader.readline()  # read a line of the content, then hang up
            assert self.transport is not None  # set once the connection is made
            self.transport.close()
            return
        await super().smtp_DATA(arg)


class DroppingController(Controller):
    def factory(self) -> SMTP:
        return DroppingSMTP(self.handler, **self.SMTP_kwargs)


@contextlib.contextmanager
def smtp_server(
    inbox: Inbox | None = None, *, controller: type[Controller] = Controller, **kwargs
) -> Iterator[tuple[Inbox, int]]:
    inbox = inbox or Inbox()
    port = free_port()
    server = controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
    server.start()
    try:
        yield inbox, port
    finally:
        server.stop()


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """Accepts TCP connections and never says a word: an SMTP server that times out."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    port = int(listener.getsockname()[1])
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                accepted.append(listener.accept()[0])

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        listener.close()


# PostgreSQL ---------------------------------------------------------------------------------------------


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    return Path(which).resolve().parent if which else None


def pg_unavailable() -> str:
    """Why PostgreSQL tests cannot run here ('' when they can)."""
    if pg_bin() is None:
        return "PostgreSQL is not installed (no initdb; `bash scripts/setup dev` installs Debian's postgresql)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'nearshore[newsletter]')"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the server as"
    return ""


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    """A throwaway PostgreSQL server on 127.0.0.1; yields its base URL (database 'postgres')."""
    binaries = pg_bin()
    assert binaries is not None
    data = Path(tempfile.mkdtemp(prefix="nearshore-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(data, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()

    def run(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, capture_output=True, timeout=120)

    run(str(binaries / "initdb"), "-D", str(data / "db"), "-U", "nearshore", "--auth=trust", "-E", "UTF8")
    options = f"-F -p {port} -k {data} -c listen_addresses=127.0.0.1"
    run(str(binaries / "pg_ctl"), "-D", str(data / "db"), "-o", options, "-w", "-l", str(data / "log"), "start")
    try:
        yield f"postgresql+psycopg://nearshore@127.0.0.1:{port}/postgres"
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            run(str(binaries / "pg_ctl"), "-D", str(data / "db"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(data, ignore_errors=True)


def new_pg_database(base: str, name: str) -> str:
    import psycopg

    plain = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + f"/{name}"


__all__ = [
    "DroppingController",
    "DroppingSMTP",
    "Envelope",
    "Inbox",
    "Session",
    "free_port",
    "new_pg_database",
    "pg_unavailable",
    "postgres",
    "silent_server",
    "smtp_server",
]
