"""The newsletter as a user runs it: 10,000 personalised mails to an SMTP server on loopback, against a plain
smtplib loop sending one prebuilt message 10,000 times in the same run; then kill -9 mid-send and resume.

  build     `nearshore newsletter issue`: the verified brief into the issue mail (charts, inlined CSS, text)
  send      `nearshore newsletter send`: plan the send log, personalise each mail (address, Message-ID,
            signed unsubscribe link), send over one connection, recording each in the send log (SQLite)
  baseline  smtplib.SMTP.sendmail of one prebuilt message (the first personalised mail, same size), N times
            over one connection, in this process: no database, no personalisation, no send log
  kill      `nearshore newsletter send` on N fresh subscribers killed with SIGKILL at a random point, then
            run again: duplicates and missing recipients counted at the server

Inside the timings: process start-up of the two commands, opening the database and the store. Outside:
importing the N subscribers (CSV), starting the server. The server is aiosmtpd in its own process (it
counts what it accepts), so client and server do not share an interpreter. NEARSHORE_SMTP_RATE=0 (no rate
limit: a relay on loopback); the targets (issue 14): build + send < 60 s, send >= 0.5x the baseline's
mails per second, 0 duplicates and 0 missing after the kill.

Run: python -m benchmarks.newsletter_bench [--mails 10000] [--no-kill]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import signal
import smtplib
import subprocess
import sys
import tempfile
import time
from collections import Counter
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SECRET = "benchmark-secret-0123456789abcdefghijklmnop"


def serve(port: int, commands: Connection) -> None:
    """The SMTP server process: accepts everything, keeps each recipient; answers 'count', 'take', 'stop'."""
    from aiosmtpd.controller import Controller

    received: list[str] = []
    first: list[bytes] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.extend(envelope.rcpt_tos)
            if not first:
                first.append(bytes(envelope.original_content or envelope.content))
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    commands.send("ready")
    while True:
        command = commands.recv()
        if command == "count":
            commands.send(len(received))
        elif command == "take":
            commands.send((list(received), first[0] if first else b""))
            received.clear()
        else:
            controller.stop()
            commands.send("stopped")
            return


class Server:
    def __init__(self) -> None:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.pipe, child = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=serve, args=(self.port, child), daemon=True)
        self.process.start()
        assert self.pipe.recv() == "ready"

    def ask(self, command: str) -> Any:
        """Send a command to the server process; its answer (a count, the messages) as it sent it."""
        self.pipe.send(command)
        return self.pipe.recv()

    def stop(self) -> None:
        self.ask("stop")
        self.process.join(10)


def nearshore(env: dict[str, str], *args: str, check: bool = True) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "nearshore", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if check and done.returncode != 0:
        raise SystemExit(f"nearshore {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - started, done.stdout


def readers(path: Path, count: int, prefix: str) -> Path:
    path.write_text("email,name\n" + "".join(f"{prefix}{i}@example.org,Reader {i}\n" for i in range(count)))
    return path


def baseline(port: int, message: bytes, count: int) -> float:
    connection = smtplib.SMTP("127.0.0.1", port)
    started = time.perf_counter()
    for _ in range(count):
        connection.sendmail("brief@example.org", ["reader@example.org"], message)
    seconds = time.perf_counter() - started
    connection.quit()
    return seconds


def kill_and_resume(env: dict[str, str], server: Server, slug: str, count: int, tmp: Path) -> str:
    nearshore(env, "newsletter", "import", str(readers(tmp / "kill.csv", count, "k")), "--confirmed")
    server.ask("take")
    kill_after = random.randrange(count // 10, count - count // 10)
    command = [sys.executable, "-m", "nearshore", "newsletter", "send", slug, "--quiet"]
    sender = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while server.ask("count") < kill_after and sender.poll() is None:
        time.sleep(0.002)
    time.sleep(random.uniform(0, 0.05))  # anywhere in the next few messages, not only at a message's start
    sender.send_signal(signal.SIGKILL)
    sender.wait()
    at_kill = server.ask("count")
    nearshore(env, "newsletter", "send", slug, "--quiet")
    received, _ = server.ask("take")
    counts = Counter(r for r in received if r.startswith("k"))
    expected = {f"k{i}@example.org" for i in range(count)}
    duplicates = sum(n - 1 for n in counts.values() if n > 1)
    missing = len(expected - set(counts))
    verdict = "ok" if duplicates == missing == 0 and sender.returncode == -signal.SIGKILL else "FAILED"
    return (
        f"kill: {count} mails, SIGKILL after {at_kill} received (aimed at {kill_after}), resumed: "
        f"{duplicates} duplicates, {missing} missing  {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--mails", type=int, default=10_000, help="personalised mails to send (default 10,000)")
    parser.add_argument("--no-kill", action="store_true", help="skip the kill -9 and resume scenario")
    options = parser.parse_args()
    server = Server()
    try:
        with tempfile.TemporaryDirectory(prefix="nearshore-newsletter-bench-") as name:
            tmp = Path(name)
            env = {
                **os.environ,
                "NEARSHORE_DATA_DIR": str(tmp),
                "NEARSHORE_DB": str(tmp / "store.duckdb"),
                "NEARSHORE_DATABASE_URL": f"sqlite:///{tmp / 'newsletter.sqlite3'}",
                "NEARSHORE_NEWSLETTER_FROM": "nearshore brief <brief@example.org>",
                "NEARSHORE_NEWSLETTER_URL": "https://brief.example.org",
                "NEARSHORE_NEWSLETTER_SECRET": SECRET,
                "NEARSHORE_SMTP_HOST": "127.0.0.1",
                "NEARSHORE_SMTP_PORT": str(server.port),
                "NEARSHORE_SMTP_SECURITY": "none",
                "NEARSHORE_SMTP_RATE": "0",
            }
            nearshore(env, "data", "info")  # seed the store from the snapshot (outside the timings)
            nearshore(env, "newsletter", "import", str(readers(tmp / "readers.csv", options.mails, "r")), "--confirmed")
            build, out = nearshore(env, "newsletter", "issue", "--topic", "us-mexico")
            built = re.search(r"issue (\S+) ", out)
            assert built is not None, out
            slug = built.group(1)
            send, out = nearshore(env, "newsletter", "send", slug, "--quiet")
            received, message = server.ask("take")
            assert len(received) == options.mails, out
            assert len(set(received)) == options.mails, out
            base = baseline(server.port, message, options.mails)
            server.ask("take")
            ours_rate, base_rate = options.mails / send, options.mails / base
            total = build + send
            print(f"message size: {len(message) / 1024:.0f} KiB (HTML + text + 3 PNG charts)")
            print(f"build (newsletter issue): {build:.1f} s")
            print(f"send  (newsletter send, {options.mails} personalised): {send:.1f} s = {ours_rate:.0f} mails/s")
            what = f"smtplib loop, one prebuilt message x {options.mails}"
            print(f"baseline ({what}): {base:.1f} s = {base_rate:.0f} mails/s")
            print(
                f"ratio send/baseline (mails/s): {ours_rate / base_rate:.2f}  target >= 0.5  "
                f"{'ok' if ours_rate / base_rate >= 0.5 else 'UNDER TARGET'}"
            )
            print(f"end to end build + send: {total:.1f} s  target < 60 s  {'ok' if total < 60 else 'OVER TARGET'}")
            if not options.no_kill:
                print(kill_and_resume(env, server, slug, options.mails, tmp))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
