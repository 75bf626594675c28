"""Reading the prose out of a brief (markdown or HTML) as blocks for the verifier, citations kept.

Not prose, so not verified: code, footnote definitions, chart captions (a line starting `*Figure: `),
everything after the `<!-- nearshore:notes -->` marker (markdown: the notes, then the methodology, then the
Reproduce appendix after `<!-- nearshore:reproduce -->`), and in HTML the head, styles, scripts, SVG charts and
any element marked `data-verify="skip"` (figures with their captions, notes, sources, the Reproduce appendix). In
HTML a citation is `<a data-fact="ID">n</a>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from nearshore.writer.citations import cite

NOTES_MARKER = "<!-- nearshore:notes -->"
REPRODUCE_MARKER = "<!-- nearshore:reproduce -->"
CAPTION = "*Figure: "  # a chart's caption line in Markdown: it describes the chart, it makes no claim
_FOOTNOTE_DEF = re.compile(r"^\s*\[\^[^\]]+\]:")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_NEW_BLOCK = re.compile(r"^\s*(#{1,6}\s|[-*+]\s|\d+[.)]\s|\|)")
_MARKERS = re.compile(r"^\s*(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)")
_CLEAN = (
    (re.compile(r"<!--.*?-->"), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images: alt text is not prose
    (re.compile(r"(?<!\[)\[([^\[\]^]*)\]\([^)]*\)"), r"\1"),  # links: keep the text, drop the URL
    (re.compile(r"`([^`]*)`"), r"\1"),  # code spans are shown, so their figures are checked
    (re.compile(r"<[^>]+>"), ""),
)


@dataclass(frozen=True)
class Block:
    """A unit of prose (a paragraph, heading, list item or table row) and the line it starts on."""

    text: str
    line: int


def _clean(line: str) -> str:
    line = _MARKERS.sub("", line, count=1)
    for pattern, replacement in _CLEAN:
        line = pattern.sub(replacement, line)
    return line


def markdown_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    current: list[str] = []
    start = 0
    fenced = False

    def flush() -> None:
        if current:
            blocks.append(Block("\n".join(current), start))
            current.clear()

    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() == NOTES_MARKER:
            break
        if line.lstrip().startswith("```"):
            fenced = not fenced
            flush()
            continue
        if fenced or _FOOTNOTE_DEF.match(line) or _TABLE_RULE.match(line) or line.startswith(CAPTION):
            flush()
            continue
        if not line.strip():
            flush()
            continue
        if _NEW_BLOCK.match(line):
            flush()
        if not current:
            start = number
        current.append(_clean(line))
    flush()
    return blocks


_SKIP_TAGS = frozenset({"head", "style", "script", "svg", "template", "noscript"})
_BLOCK_TAGS = frozenset(
    {
        "p",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "figcaption",
        "blockquote",
        "dt",
        "dd",
        "caption",
        "div",
        "section",
        "header",
        "footer",
        "aside",
        "table",
        "ul",
        "ol",
        "figure",
        "article",
        "main",
        "body",
    }
)
_VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "source", "wbr", "col", "area", "base"})


class _ProseParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.start = 1
        self.skip: list[str] = []  # the tags whose content is skipped, innermost last
        self.in_ref = 0
        self.in_group = 0  # inside <sup class="fact-ref">: the separators between its links are not prose

    def flush(self) -> None:
        text = "".join(self.parts).strip()
        if text:
            self.blocks.append(Block(re.sub(r"[ \t\r\n]+", " ", text), self.start))
        self.parts = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self.skip:
            if tag not in _VOID:
                self.skip.append(tag)
            return
        if tag in _SKIP_TAGS or attributes.get("data-verify") == "skip":
            if tag not in _VOID:
                self.skip.append(tag)
            return
        if tag in _BLOCK_TAGS:
            self.flush()
            self.start = self.getpos()[0]
        if tag in ("td", "th"):
            self.parts.append(" | ")
        if tag == "sup" and "fact-ref" in (attributes.get("class") or "").split():
            self.in_group += 1
        if tag == "a" and attributes.get("data-fact"):
            ids = (attributes.get("data-fact") or "").split()
            self.parts.append(cite(*ids))
            self.in_ref += 1
        if tag == "br":
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if tag == "a" and self.in_ref:
            self.in_ref -= 1
        if tag == "sup" and self.in_group:
            self.in_group -= 1
        if tag in _BLOCK_TAGS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skip and not self.in_ref and not self.in_group:
            if not "".join(self.parts).strip():
                self.start = self.getpos()[0]
            self.parts.append(data)


def html_blocks(html: str) -> list[Block]:
    parser = _ProseParser()
    parser.feed(html)
    parser.close()
    parser.flush()
    return parser.blocks
