"""A mailing: what one send is (an issue, or a correction to one), its template and each recipient's
personal values (Message-ID from the send-log row, the signed unsubscribe URL)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from email.utils import formataddr
from html import escape

from nearshore.delivery import render
from nearshore.delivery.config import NewsletterConfig
from nearshore.delivery.message import Inline, MailTemplate, Recipient, build_template
from nearshore.delivery.models import Erratum, Issue
from nearshore.delivery.optin import unsubscribe_url


@dataclass(frozen=True)
class Mailing:
    """One send: `key` names it in the send log ('<slug>' or '<slug>#erratum-<n>')."""

    key: str
    issue_id: int
    template: MailTemplate
    sender: str  # envelope sender (MAIL FROM)
    config: NewsletterConfig
    domain: str

    def recipient(self, delivery_id: int, email: str, name: str, key: str) -> Recipient:
        token = self.key.replace("/", ".").replace("#", ".")
        return Recipient(email, name, unsubscribe_url(self.config, key), f"<{token}.{delivery_id}@{self.domain}>")


def _sender(config: NewsletterConfig) -> tuple[str, str, str]:
    name, address = config.require_sender()
    return formataddr((name, address)), address, address.rsplit("@", 1)[1]


def issue_mailing(issue: Issue, config: NewsletterConfig) -> Mailing:
    header, address, domain = _sender(config)
    base = config.require_url()
    images = tuple(Inline(c.cid, c.png, f"{c.chart_id}.png") for c in issue.charts)
    template = build_template(
        header,
        issue.subject,
        issue.mail_text,
        issue.mail_html,
        images,
        list_id=f"nearshore {issue.topic} brief <{issue.topic}.{domain}>",
        archive_url=f"{base}/archive/{issue.slug}/",
    )
    return Mailing(issue.slug, issue.id, template, address, config, domain)


def erratum_mailing(issue: Issue, erratum: Erratum, config: NewsletterConfig) -> Mailing:
    """The short correction sent to exactly those who received the issue."""
    header, address, domain = _sender(config)
    base = config.require_url()
    page = f"{base}/archive/{issue.slug}/"
    corrected = [render_change(item) for item in json.loads(erratum.changes_json)]
    date = erratum.created_at.date().isoformat()
    intro = f'A correction ({date}) to the nearshore brief of {issue.slug.split("/")[-1]}, "{issue.subject}".'
    note = f"\n\n{erratum.note}" if erratum.note else ""
    text = "\n".join(
        [intro + note, "", *[f"- {line}" for line in corrected], "", f"The corrected issue: {page}"]
    ) + render.footer_text(issue.topic, "")
    html = (
        f'<!DOCTYPE html><html><body><div style="font: 15px/1.5 system-ui, sans-serif; max-width: 40rem">'
        f"<p>{escape(intro)}</p>{'<p>' + escape(erratum.note) + '</p>' if erratum.note else ''}<ul>"
        + "".join(f"<li>{escape(line)}</li>" for line in corrected)
        + f'</ul><p>The corrected issue: <a href="{escape(page)}">{escape(page)}</a></p>'
        + render.footer_html(issue.topic, "")
        + "</div></body></html>"
    )
    template = build_template(
        header,
        f"Correction: {issue.subject}",
        text,
        html,
        list_id=f"nearshore {issue.topic} brief <{issue.topic}.{domain}>",
        archive_url=page,
    )
    return Mailing(f"{issue.slug}#erratum-{erratum.number}", issue.id, template, address, config, domain)


def render_change(item: dict[str, str]) -> str:
    """One corrected figure: 'LABEL (PERIOD): NEW, was OLD (source ...; vintage ...)'."""
    return (
        f"{item['label']} ({item['period']}): now {item['new']}, was {item['old']} "
        f"(source {item['source']}; vintage {item['old_vintage']} then {item['new_vintage']})"
    )


__all__ = ["Mailing", "erratum_mailing", "issue_mailing", "render_change"]
