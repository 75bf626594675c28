"""Mails built once and personalised cheaply: the email package builds and serialises a template message;
each subscriber's copy swaps in their address, Message-ID and unsubscribe link.

The HTML and plain-text parts are quoted-printable; everything else (headers, boundaries, the PNG charts as
inline parts referenced by Content-ID) is the template's bytes, reused as they are. Every personal value is
checked for CR/LF before it reaches a header.
"""

from __future__ import annotations

import binascii
import html
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate
from typing import Final

from nearshore.delivery.addresses import no_control

LINK: Final = "nsxLINKxPLACEHOLDERx7q"  # where a part shows the subscriber's unsubscribe URL
_TEXT: Final = "nsxTEXTxPARTx7q"
_HTML: Final = "nsxHTMLxPARTx7q"


@dataclass(frozen=True)
class Inline:
    """An image shown by the HTML part as `cid:<cid>`."""

    cid: str
    png: bytes
    filename: str


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    unsubscribe_url: str
    message_id: str


@dataclass(frozen=True)
class MailTemplate:
    """A serialised message with holes: personal headers go first, then three fixed byte runs around the
    text and HTML parts."""

    head: bytes  # common headers ... up to the text part's body
    middle: bytes  # from after the text body to the HTML part's body
    tail: bytes  # the rest: images and closing boundaries
    text: str  # bodies with LINK placeholders, CRLF line ends
    html: str
    one_click: bool  # List-Unsubscribe-Post header present

    def personalise(self, to: Recipient) -> bytes:
        """The subscriber's message, ready for DATA (CRLF line ends, not yet dot-stuffed)."""
        headers = [
            f"To: {formataddr((no_control(to.name, 'name'), no_control(to.email, 'email')), charset='utf-8')}",
            f"Message-ID: {no_control(to.message_id, 'Message-ID')}",
        ]
        url = no_control(to.unsubscribe_url, "unsubscribe URL")
        if url:
            headers.append(f"List-Unsubscribe: <{url}>")
        text = binascii.b2a_qp(self.text.replace(LINK, url).encode("utf-8"), istext=True)
        body = binascii.b2a_qp(self.html.replace(LINK, html.escape(url)).encode("utf-8"), istext=True)
        personal = ("\r\n".join(headers) + "\r\n").encode("utf-8")
        return b"".join((personal, self.head, text, self.middle, body, self.tail))


def _body(text: str) -> str:
    """CRLF line ends, ending in one (a part's body must end with a line break before the boundary)."""
    return "\r\n".join(text.replace("\r\n", "\n").rstrip("\n").split("\n")) + "\r\n"


def build_template(
    sender: str,
    subject: str,
    text: str,
    html_body: str,
    images: tuple[Inline, ...] = (),
    *,
    list_id: str = "",
    archive_url: str = "",
    one_click: bool = True,
    date: str | None = None,
) -> MailTemplate:
    """Build the template: `text` and `html_body` may hold LINK where the unsubscribe URL goes."""
    message = EmailMessage(policy=SMTP)
    message["From"] = no_control(sender, "sender")
    message["Subject"] = no_control(subject, "subject")
    message["Date"] = date or formatdate(usegmt=True)
    if list_id:
        message["List-Id"] = no_control(list_id, "List-Id")
    if archive_url:
        message["List-Archive"] = f"<{no_control(archive_url, 'archive URL')}>"
    if one_click:
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(_TEXT, charset="utf-8", cte="quoted-printable")
    message.add_alternative(_HTML, subtype="html", charset="utf-8", cte="quoted-printable")
    html_part = list(message.iter_parts())[1]
    assert isinstance(html_part, EmailMessage)
    for image in images:
        html_part.add_related(
            image.png,
            maintype="image",
            subtype="png",
            cid=f"<{image.cid}>",
            filename=image.filename,
            disposition="inline",
        )
    raw = message.as_bytes(policy=SMTP)
    marks = [_TEXT.encode(), _HTML.encode()]
    head, rest = raw.split(marks[0] + b"\r\n", 1)
    middle, tail = rest.split(marks[1] + b"\r\n", 1)
    return MailTemplate(head, middle, tail, _body(text), _body(html_body), one_click)


def simple_message(sender: str, to: str, subject: str, text: str, message_id: str) -> bytes:
    """A short plain-text message (confirmation links), built whole by the email package."""
    message = EmailMessage(policy=SMTP)
    message["From"] = no_control(sender, "sender")
    message["To"] = no_control(to, "email")
    message["Subject"] = no_control(subject, "subject")
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = no_control(message_id, "Message-ID")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text, charset="utf-8", cte="quoted-printable")
    return message.as_bytes(policy=SMTP)


__all__ = ["LINK", "Inline", "MailTemplate", "Recipient", "build_template", "simple_message"]
