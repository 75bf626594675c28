"""Building an issue from the verified brief, storing it (the archive keeps it with its facts), and turning it
into a mail template.

`build_issue` writes the brief with the writer's own pipeline (`run_brief`, which verifies before writing),
computes what changed since the topic's last issue, makes the mail's HTML and text, runs the verifier again
on the mail's HTML and on the Markdown the text comes from, and only then stores the issue. An issue that
fails verification is never stored, so it can never be sent.
"""

from __future__ import annotations

import io
import json
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from nearshore.delivery import changes as ch
from nearshore.delivery import render
from nearshore.delivery.db import Database
from nearshore.delivery.models import Delivery, Erratum, Issue, IssueChart
from nearshore.errors import InputError, VerificationFailed
from nearshore.settings import Settings
from nearshore.writer.facts import FactTable

if TYPE_CHECKING:
    from nearshore.data.store import Store
    from nearshore.writer.charts import Chart


@dataclass(frozen=True)
class IssueInfo:
    """An issue as callers see it (no database session attached)."""

    id: int
    slug: str
    topic: str
    year: int
    created_at: datetime
    subject: str
    summary: str
    changes: tuple[ch.Change, ...]
    verified: int
    errata: int

    @classmethod
    def of(cls, row: Issue) -> IssueInfo:
        return cls(
            row.id,
            row.slug,
            row.topic,
            row.year,
            row.created_at,
            row.subject,
            row.summary,
            tuple(ch.load(row.changes_json)),
            row.verified,
            len(row.errata),
        )


def chart_png(chart: Chart) -> bytes:
    """The chart as a compact PNG for mail: 120 dpi (864 px wide), reduced to a 64-colour palette."""
    from PIL import Image

    from nearshore.writer.charts import render_png

    image = Image.open(io.BytesIO(render_png(chart, dpi=120))).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


def _plain(markdown: str) -> str:
    """Headline or standfirst without citations or emphasis, for a subject line or a feed summary."""
    import re

    text = re.sub(r"\[\[fact:[^\]]+\]\]|\[\^[^\]]+\]", "", markdown)
    return " ".join(re.sub(r"[*_`#]", "", text).split())


def previous_issue(session: Session, topic: str, before: str) -> Issue | None:
    return session.scalar(
        select(Issue).where(Issue.topic == topic, Issue.slug < before).order_by(Issue.slug.desc()).limit(1)
    )


def errata_since(session: Session, topic: str, since: datetime | None) -> list[ch.Change]:
    """Corrections made to the topic's archived issues after `since` (None: all)."""
    query = select(Erratum).where(Erratum.issue.has(Issue.topic == topic)).order_by(Erratum.created_at)
    if since is not None:
        query = query.where(Erratum.created_at > since)
    return [
        ch.Change(
            "erratum",
            f"Correction {e.created_at.date().isoformat()} to the issue of {e.issue.slug.split('/')[-1]}: "
            f"{e.note or 'figures revised'} ({len(json.loads(e.changes_json))} figure(s)).",
            f"archive page {e.issue.slug}",
        )
        for e in session.scalars(query)
    ]


def build_issue(
    db: Database,
    topic: str = "us-mexico",
    *,
    settings: Settings | None = None,
    store: Store | None = None,
    year: int | None = None,
    now: datetime | None = None,
    rebuild: bool = False,
) -> IssueInfo:
    """Build, verify and store the topic's issue for today (one per topic and day: an existing one is
    returned unless `rebuild`, which is refused once anyone has received it)."""
    from nearshore.data.snapshot import open_store

    now = now or datetime.now(UTC)
    settings = settings or Settings.load()
    slug = f"{topic}/{now.date().isoformat()}"
    with db.session() as session:
        existing = session.scalar(select(Issue).where(Issue.slug == slug))
        if existing is not None and not rebuild:
            return IssueInfo.of(existing)
    if store is None:
        with open_store(settings) as opened:
            return _build(db, opened, topic, slug, settings, year, now)
    return _build(db, store, topic, slug, settings, year, now)


def _build(
    db: Database, store: Store, topic: str, slug: str, settings: Settings, year: int | None, now: datetime
) -> IssueInfo:
    from nearshore.writer.compose import run_brief
    from nearshore.writer.extract import html_blocks
    from nearshore.writer.verifier import verify_blocks, verify_text

    state = ch.capture_state(store)
    with tempfile.TemporaryDirectory(prefix="nearshore-issue-") as tmp:
        run = run_brief(topic, year, None, ("html", "md"), Path(tmp), "template", settings, store)
        paths = run.result.files.paths
        brief_html = paths["html"].read_text(encoding="utf-8")
        brief_md = paths["md"].read_text(encoding="utf-8")
    facts = run.composition.facts
    name = slug.replace("/", "-")
    charts = [(c, f"{c.id}.{name}@nearshore") for c in run.composition.charts]
    changes = _changes(db, topic, slug, state, facts)
    base = settings.get("newsletter_url").strip().rstrip("/")
    archive = f"{base}/archive/{slug}/" if base else ""
    html = render.mail_html(
        brief_html,
        {c.id: (cid, c.alt) for c, cid in charts},
        render.changes_html(changes),
        render.footer_html(topic, archive),
    )
    report = verify_blocks(html_blocks(html), facts, f"issue {slug} (mail HTML)")
    text_report = verify_text(brief_md, facts, f"issue {slug} (plain text)")
    for checked in (report, text_report):
        if not checked.ok or checked.checked == 0:
            raise VerificationFailed(f"issue {slug} was not built, so it cannot be sent: {checked.summary()}")
    text = render.mail_text(brief_md, render.changes_text(changes), render.footer_text(topic, archive))
    draft = run.result.draft
    row = Issue(
        slug=slug,
        topic=topic,
        year=run.composition.year,
        created_at=now,
        subject=_plain(draft.headline),
        summary=_plain(draft.standfirst),
        brief_html=brief_html,
        mail_html=html,
        mail_text=text,
        facts_json=facts.to_json(),
        state_json=json.dumps(state, sort_keys=True),
        changes_json=ch.dump(changes),
        verified=report.checked,
    )
    row.charts = [
        IssueChart(chart_id=c.id, position=i, cid=cid, alt=c.alt, png=chart_png(c)) for i, (c, cid) in enumerate(charts)
    ]
    return _store(db, row)


def _store(db: Database, row: Issue) -> IssueInfo:
    """Insert the issue, replacing a stored one of the same slug that nobody has received."""
    with db.session() as session:
        old = session.scalar(select(Issue).where(Issue.slug == row.slug))
        if old is not None:
            sent = select(Delivery.id).where(Delivery.issue_id == old.id, Delivery.status == "sent").limit(1)
            if session.scalar(sent):
                raise InputError(
                    f"issue {row.slug} was already sent to subscribers; it cannot be rebuilt (send errata)"
                )
            session.delete(old)
            session.flush()
        session.add(row)
        session.flush()
        return IssueInfo.of(row)


def _changes(db: Database, topic: str, slug: str, state: dict[str, Any], facts: FactTable) -> list[ch.Change]:
    with db.session() as session:
        previous = previous_issue(session, topic, slug)
        old_state = json.loads(previous.state_json) if previous else None
        old_facts = FactTable.from_json(previous.facts_json, previous.slug) if previous else None
        errata = errata_since(session, topic, previous.created_at if previous else None)
    return ch.what_changed(old_state, old_facts, state, facts, errata)


def get_issue(db: Database, ref: str | int) -> IssueInfo:
    """An issue by id or slug (`us-mexico/2026-05-11`); the topic's latest with `<topic>/latest`."""
    with db.session() as session:
        return IssueInfo.of(issue_row(session, ref))


def issue_row(session: Session, ref: str | int) -> Issue:
    """The issue row by id or slug (`<topic>/latest`: the topic's newest), or InputError."""
    text = str(ref).strip()
    if text.isdigit():
        row = session.get(Issue, int(text))
    elif text.endswith("/latest"):
        topic = text.removesuffix("/latest")
        row = session.scalar(select(Issue).where(Issue.topic == topic).order_by(Issue.slug.desc()).limit(1))
    else:
        row = session.scalar(select(Issue).where(Issue.slug == text))
    if row is None:
        raise InputError(
            f"no issue {text!r}; give an issue id or slug such as us-mexico/2026-05-11 "
            "(`nearshore newsletter issues` lists them)"
        )
    return row


def list_issues(db: Database, topic: str | None = None) -> list[IssueInfo]:
    with db.session() as session:
        query = select(Issue).order_by(Issue.slug)
        if topic:
            query = query.where(Issue.topic == topic)
        return [IssueInfo.of(r) for r in session.scalars(query)]


def preview_html(db: Database, ref: str | int) -> str:
    """The issue's mail HTML for a browser: charts as data: URIs, the unsubscribe link disabled."""
    import base64

    from nearshore.delivery.message import LINK

    with db.session() as session:
        row = issue_row(session, ref)
        page = row.mail_html.replace(LINK, "#unsubscribe-link-goes-here")
        for chart in row.charts:
            uri = "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii")
            page = page.replace(f"cid:{chart.cid}", uri)
        return page


__all__ = [
    "IssueInfo",
    "build_issue",
    "chart_png",
    "get_issue",
    "issue_row",
    "list_issues",
    "preview_html",
    "previous_issue",
]
