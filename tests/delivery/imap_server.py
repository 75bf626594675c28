"""A small IMAP4rev1 server on 127.0.0.1 for the bounce tests: the subset imaplib uses to read a folder
(CAPABILITY, LOGIN, SELECT, SEARCH UNSEEN, FETCH BODY.PEEK[], STORE +FLAGS \\Seen, LOGOUT), in the wire
format of RFC 3501. A fake at the network edge: the client under test is the standard library's imaplib."""

from __future__ import annotations

import contextlib
import shlex
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class Mailbox:
    user: str
    password: str
    folder: str = "INBOX"
    messages: list[bytes] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)  # 1-based sequence numbers


def _handler(box: Mailbox) -> type[socketserver.StreamRequestHandler]:
    class Handler(socketserver.StreamRequestHandler):
        def send(self, line: str | bytes) -> None:
            self.wfile.write(line if isinstance(line, bytes) else line.encode() + b"\r\n")

        def handle(self) -> None:
            self.send("* OK IMAP4rev1 test server ready")
            authed = False
            while raw := self.rfile.readline():
                tag, _, rest = raw.decode().strip().partition(" ")
                command, _, args = rest.partition(" ")
                command = command.upper()
                if command == "CAPABILITY":
                    self.send("* CAPABILITY IMAP4rev1 AUTH=PLAIN")
                elif command == "LOGIN":
                    user, password = shlex.split(args)
                    if (user, password) != (box.user, box.password):
                        self.send(f"{tag} NO [AUTHENTICATIONFAILED] Invalid credentials")
                        continue
                    authed = True
                elif command == "LOGOUT":
                    self.send("* BYE logging out")
                    self.send(f"{tag} OK LOGOUT completed")
                    return
                elif not authed:
                    self.send(f"{tag} BAD log in first")
                    continue
                elif command == "SELECT":
                    if shlex.split(args)[0] != box.folder:
                        self.send(f"{tag} NO [NONEXISTENT] no such folder")
                        continue
                    self.send(f"* {len(box.messages)} EXISTS")
                    self.send("* FLAGS (\\Seen)")
                    self.send(f"{tag} OK [READ-WRITE] SELECT completed")
                    continue
                elif command == "SEARCH":
                    unseen = [str(n) for n in range(1, len(box.messages) + 1) if n not in box.seen]
                    self.send("* SEARCH " + " ".join(unseen))
                elif command == "FETCH":
                    number = int(args.split()[0])
                    body = box.messages[number - 1]
                    self.send(f"* {number} FETCH (BODY[] {{{len(body)}}}".encode() + b"\r\n" + body + b")\r\n")
                elif command == "STORE":
                    number = int(args.split()[0])
                    box.seen.add(number)
                    self.send(f"* {number} FETCH (FLAGS (\\Seen))")
                else:
                    self.send(f"{tag} BAD unknown command")
                    continue
                self.send(f"{tag} OK {command} completed")

    return Handler


@contextlib.contextmanager
def imap_server(box: Mailbox) -> Iterator[int]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _handler(box))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
