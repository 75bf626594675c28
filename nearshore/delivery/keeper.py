"""A keeper process that holds a duplicate of the SMTP socket while a send runs.

When the sending process is killed (kill -9), the operating system closes its sockets. A server that has read
the end of a message's DATA but not yet finished with it may take that close as the end of the transaction
and discard the message (aiosmtpd cancels its handler on EOF) although the send log, written just before the
final ".", says it was sent. The keeper holds the connection open for `seconds` after the sender's death (it
notices it as the end of its standard input), so the server finishes what it was given; it is stopped
normally when the connection is closed on purpose.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
from dataclasses import dataclass
from typing import Final

_HOLD: Final = "import sys, time; sys.stdin.buffer.read(); time.sleep(float(sys.argv[1]))"


@dataclass
class Keeper:
    process: subprocess.Popen[bytes] | None

    def release(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(OSError):
            self.process.kill()
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        for stream in (self.process.stdin,):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self.process = None


def hold_connection(sock: socket.socket | None, seconds: float) -> Keeper:
    """Start a keeper for `sock` (None, or a platform without fd passing: no keeper)."""
    if sock is None or not hasattr(socket, "AF_UNIX"):
        return Keeper(None)
    try:
        process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _HOLD, f"{max(1.0, seconds):g}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(sock.fileno(),),
            start_new_session=True,  # a Ctrl-C of the terminal reaches the sender, which ends the send itself
        )
    except OSError:
        return Keeper(None)
    return Keeper(process)


__all__ = ["Keeper", "hold_connection"]
