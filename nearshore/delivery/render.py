"""The issue mail's HTML and plain text, made from the verified brief.

HTML: the brief's own page with each SVG chart replaced by an `<img src="cid:...">` (mail clients drop SVG),
the SQL queries left to the archive page, "What changed since the last issue" at the top, a footer with the
unsubscribe link, and every CSS rule inlined into style attributes (mail clients drop `<style>`; the media
queries stay in a style tag for the clients that read it). Plain text: the brief's Markdown with numbered
notes and each chart named by its alt text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape
from typing import Final

from nearshore.delivery.changes import Change
from nearshore.delivery.message import LINK
from nearshore.writer.extract import NOTES_MARKER, REPRODUCE_MARKER

MAIL_CSS: Final = """
.changes { margin: 1rem 0 1.5rem; padding: 0.75rem 1rem; background: #f2f5f1; border-left: 3px solid #0b6e4f;
           font: 0.9rem/1.5 system-ui, sans-serif; }
.changes h2 { margin: 0 0 0.4rem; font-size: 1rem; }
.changes ul { margin: 0; padding-left: 1.1rem; }
.changes .src { color: #5b5b60; font-size: 0.8rem; }
.erratum { margin: 1rem 0; padding: 0.75rem 1rem; border: 2px solid #c8553d; background: #fff4f1;
           font: 0.9rem/1.5 system-ui, sans-serif; }
.mail-footer { margin-top: 2.5rem; padding-top: 0.75rem; border-top: 1px solid #d9d9de;
               font: 0.8rem/1.5 system-ui, sans-serif; color: #5b5b60; }
.mail-footer a { color: #0b6e4f; }
img.chart { display: block; width: 100%; max-width: 640px; height: auto; border: 0; }
@media only screen and (max-width: 620px) {
  .brief { padding: 1rem 0.75rem 2rem !important; }
  h1 { font-size: 1.6rem !important; }
  .key-numbers td { font-size: 1rem !important; }
}
"""
_QUERY = re.compile(r'\s*<details class="query">.*?</details>', re.S)
_FIGURE_SVG = re.compile(r'(<figure class="chart" id="chart-(?P<id>[^"]+)"[^>]*>)\s*<svg\b.*?</svg>', re.S)
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
_ARTICLE = re.compile(r'<article class="brief">')
_UNIVERSAL = re.compile(r"^\*\s*\{[^}]*\}\s*$", re.M)  # inlined on every element it would double the mail


def changes_html(changes: Sequence[Change], title: str = "What changed since the last issue") -> str:
    if not changes:
        return ""
    items = "\n".join(f'<li>{escape(c.text)} <span class="src">Source: {escape(c.source)}</span></li>' for c in changes)
    # quoted figures (old and new values of a revision) are outside the verifier, like the notes
    return f'<section class="changes" data-verify="skip">\n<h2>{escape(title)}</h2>\n<ul>\n{items}\n</ul>\n</section>'


def changes_text(changes: Sequence[Change], title: str = "What changed since the last issue") -> str:
    if not changes:
        return ""
    lines = [title, "-" * len(title)]
    lines += [f"- {c.text} (Source: {c.source})" for c in changes]
    return "\n".join(lines) + "\n\n"


def footer_html(topic: str, archive_url: str) -> str:
    read = (
        f' Read it online and browse past issues: <a href="{escape(archive_url)}">the archive</a>.'
        if archive_url
        else ""
    )
    return (
        f'<footer class="mail-footer" data-verify="skip"><p>You receive the nearshore {escape(topic)} brief because '
        f"you subscribed and confirmed your address.{read}</p>"
        f'<p><a href="{LINK}">Unsubscribe</a> in one click; no login needed.</p></footer>'
    )


def footer_text(topic: str, archive_url: str) -> str:
    read = f"Read it online: {archive_url}\n" if archive_url else ""
    return f"\n--\nYou receive the nearshore {topic} brief because you subscribed.\n{read}Unsubscribe: {LINK}\n"


def mail_html(brief_html: str, charts: Mapping[str, tuple[str, str]], top: str, footer: str) -> str:
    """The brief's page as a mail: `charts` maps chart id to (Content-ID, alt text)."""
    import css_inline

    def image(match: re.Match[str]) -> str:
        cid, alt = charts[match.group("id")]
        return f'{match.group(1)}\n<img class="chart" src="cid:{escape(cid)}" alt="{escape(alt)}" width="640">'

    page = _QUERY.sub("", brief_html)
    page = _FIGURE_SVG.sub(lambda m: image(m) if m.group("id") in charts else m.group(1), page)
    page = _SVG.sub("", page)
    page = _UNIVERSAL.sub("", page)
    page = _ARTICLE.sub(lambda m: m.group(0) + "\n" + top, page, count=1)
    page = page.replace("</article>", footer + "\n</article>", 1)
    page = page.replace("</head>", f"<style>{MAIL_CSS}</style>\n</head>", 1)
    inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False, resolve_css_variables=True)
    return inliner.inline(page)


_IMAGE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\([^)]*\)\s*$", re.M)
_REF = re.compile(r"\[\^([^\]]+)\]")
_DEF = re.compile(r"^\[\^([^\]]+)\]:\s?(.*)$")
_QUERY_TEXT = re.compile(r"; query `[^`]*`")


def mail_text(brief_md: str, top: str, footer: str) -> str:
    """The brief's Markdown as the plain-text part: notes numbered [1], [2]... (queries left to the archive)."""
    body, _, notes = brief_md.partition(NOTES_MARKER)
    notes = notes.partition(REPRODUCE_MARKER)[0]  # ids, exact values and SQL: the archive page has them
    numbers: dict[str, int] = {}

    def ref(match: re.Match[str]) -> str:
        return f"[{numbers.setdefault(match.group(1), len(numbers) + 1)}]"

    body = _IMAGE.sub(lambda m: f"[Chart: {m.group('alt')}]", body)
    body = _REF.sub(ref, body)
    lines = []
    for line in notes.splitlines():
        found = _DEF.match(line)
        if found:
            number = numbers.setdefault(found.group(1), len(numbers) + 1)
            line = f"[{number}] {_QUERY_TEXT.sub('', found.group(2))}"
        lines.append(line)
    return top + body.rstrip() + "\n\n" + "\n".join(lines).strip() + "\n" + footer


__all__ = ["MAIL_CSS", "changes_html", "changes_text", "footer_html", "footer_text", "mail_html", "mail_text"]
