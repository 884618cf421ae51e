"""Reading pages back as a visitor sees them: the links and the text of one landmark (main, footer, ...)."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Link:
    href: str
    text: str


@dataclass
class _Part:
    text: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


_INLINE = {"a", "abbr", "b", "code", "em", "i", "small", "span", "strong"}


class _Reader(HTMLParser):
    """Collects the text and links inside every element named ``within`` (hidden texts included)."""

    def __init__(self, within: str):
        super().__init__(convert_charrefs=True)
        self.within, self.depth, self.part = within, 0, _Part()
        self._link: list | None = None

    def handle_starttag(self, tag, attrs):
        if tag == self.within:
            self.depth += 1
        if self.depth and tag == "a":
            self._link = [dict(attrs).get("href", ""), []]

    def handle_endtag(self, tag):
        if self.depth and tag not in _INLINE:
            self.part.text.append(" ")  # a cell, term or paragraph ends: its words do not run into the next
        if self.depth and tag == "a" and self._link is not None:
            self.part.links.append(Link(self._link[0], " ".join("".join(self._link[1]).split())))
            self._link = None
        if tag == self.within and self.depth:
            self.depth -= 1
            self.part.text.append(" ")

    def handle_data(self, data):
        if self.depth:
            self.part.text.append(data)
            if self._link is not None:
                self._link[1].append(data)


def _read(html: str, within: str) -> _Part:
    reader = _Reader(within)
    reader.feed(html)
    return reader.part


def links_in(html: str, within: str = "main") -> list[Link]:
    return _read(html, within).links


def text_in(html: str, within: str = "main") -> str:
    """The landmark's text with runs of white space made single spaces."""
    return " ".join("".join(_read(html, within).text).split())


def mail_html(message) -> str | None:
    """The HTML part of a delivered mail (the queue delivers the stored MIME bytes), or None without one."""
    import email
    from email import policy

    parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    part = parsed.get_body(preferencelist=("html",))
    return part.get_content() if part is not None and part.get_content_type() == "text/html" else None


def table_rows(html: str) -> list[list[str]]:
    """The body rows of every table in the page, each as its cells' texts."""
    import re

    rows = []
    for body in re.findall(r"<tbody>(.*?)</tbody>", html, re.S):
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
            cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
            rows.append([" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells])
    return rows
