"""SMTP with smtplib: connecting (STARTTLS, implicit TLS or plain; certificates verified), and one message
sent with a hook that runs just before the end of DATA.

The hook is how the send log stays exact across a crash: the server takes responsibility for a message only
when it reads the final "." line, so recording the message as sent right before writing that line means a
process killed at any earlier point left nothing delivered, and one killed later finds it recorded.
Errors never carry the password: they name the host, the user and the server's reply.
"""

from __future__ import annotations

import contextlib
import smtplib
import socket
import ssl
from collections.abc import Callable
from typing import Final

from nearshore.delivery.config import SMTPConfig
from nearshore.errors import MailServerError

END_OF_DATA: Final = b".\r\n"
CONNECTION_ERRORS: Final = (smtplib.SMTPServerDisconnected, OSError, smtplib.SMTPResponseException)


class SMTPReply(Exception):
    """The server answered a command with an error code; 5xx is permanent, 4xx temporary."""

    def __init__(self, stage: str, code: int, text: bytes | str) -> None:
        self.stage = stage
        self.code = code
        self.text = _text(text)
        super().__init__(f"{stage}: {code} {self.text}")

    @property
    def permanent(self) -> bool:
        return 500 <= self.code < 600


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def tls_context(cafile: str) -> ssl.SSLContext:
    try:
        return ssl.create_default_context(cafile=cafile or None)
    except (OSError, ssl.SSLError) as exc:
        raise MailServerError(f"cannot read the CA file {cafile} (NEARSHORE_SMTP_CAFILE): {exc}") from None


def describe(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (is the server running, and are host and port right?)"
    if isinstance(exc, (socket.timeout, TimeoutError)) or "timed out" in str(exc):  # smtplib wraps timeouts
        return f"no answer within {timeout:g} s (NEARSHORE_SMTP_TIMEOUT)"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"its TLS certificate is not trusted ({exc.verify_message}); set NEARSHORE_SMTP_CAFILE to its CA"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "the server closed the connection"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"the server answered {exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


def connect(config: SMTPConfig) -> smtplib.SMTP:
    """An open, greeted, (STARTTLS-upgraded,) logged-in SMTP connection, or MailServerError saying why not."""
    where = f"SMTP server {config.host}:{config.port}"
    smtp: smtplib.SMTP | None = None
    try:
        if config.security == "tls":
            smtp = smtplib.SMTP_SSL(
                config.host, config.port, timeout=config.timeout, context=tls_context(config.cafile)
            )
        else:
            smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        smtp.ehlo()
        if config.security == "starttls":
            if not smtp.has_extn("starttls"):
                raise MailServerError(
                    f"{where} does not offer STARTTLS; set NEARSHORE_SMTP_SECURITY=tls (implicit TLS, port 465) "
                    "or, for a relay on this machine only, none"
                )
            smtp.starttls(context=tls_context(config.cafile))
            smtp.ehlo()
        if config.user:
            try:
                smtp.login(config.user, config.password)
            except smtplib.SMTPAuthenticationError as exc:
                reply = _text(exc.smtp_error)
                raise MailServerError(
                    f"{where} refused the login of user {config.user!r} ({exc.smtp_code} {reply}); check "
                    "NEARSHORE_SMTP_USER and NEARSHORE_SMTP_PASSWORD",
                    reply=f"{exc.smtp_code} {reply}",
                ) from None
        return smtp
    except MailServerError:
        _close(smtp)
        raise
    except (*CONNECTION_ERRORS, smtplib.SMTPException) as exc:
        _close(smtp)
        raise MailServerError(f"cannot send through {where}: {describe(exc, config.timeout)}") from None


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    with contextlib.suppress(OSError):
        smtp.close()


def quit_quietly(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (*CONNECTION_ERRORS, smtplib.SMTPException):
        _close(smtp)


def prepare(data: bytes) -> bytes:
    """The message as DATA carries it: CRLF line ends (as built), leading dots doubled, ending in CRLF."""
    stuffed = data.replace(b"\r\n.", b"\r\n..")
    if stuffed.startswith(b"."):
        stuffed = b"." + stuffed
    return stuffed if stuffed.endswith(b"\r\n") else stuffed + b"\r\n"


def send_message(
    smtp: smtplib.SMTP,
    sender: str,
    recipient: str,
    data: bytes,
    before_end: Callable[[], None] | None = None,
    not_ended: Callable[[], None] | None = None,
) -> str:
    """Send one prepared message; `before_end` runs after the content and before the final "." line, and
    `not_ended` if writing that line then fails (or is interrupted): the server never saw the end.

    Raises SMTPReply for an error answer (after resetting the transaction) and smtplib/OS errors when the
    connection fails. Returns the server's final answer (usually its queue id)."""
    code, text = smtp.mail(sender)
    if code != 250:
        _reset(smtp)
        raise SMTPReply("MAIL FROM", code, text)
    code, text = smtp.rcpt(recipient)
    if code not in (250, 251):
        _reset(smtp)
        raise SMTPReply("RCPT TO", code, text)
    code, text = smtp.docmd("DATA")
    if code != 354:
        _reset(smtp)
        raise SMTPReply("DATA", code, text)
    smtp.send(data)
    if before_end is not None:
        before_end()
    try:
        smtp.send(END_OF_DATA)
    except BaseException:
        if not_ended is not None:
            not_ended()
        raise
    code, text = smtp.getreply()
    if code != 250:
        raise SMTPReply("end of DATA", code, text)
    return _text(text)


def _reset(smtp: smtplib.SMTP) -> None:
    try:
        smtp.rset()
    except (*CONNECTION_ERRORS, smtplib.SMTPException):
        pass


__all__ = ["SMTPReply", "connect", "describe", "prepare", "quit_quietly", "send_message"]
