"""Reading pages back as a browser would: elements with their attributes and text (standard library only).

For the links and text of one landmark, see tests/html.py."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict
    children: list = field(default_factory=list)  # Elements and strings

    @property
    def text(self) -> str:
        """The text inside, with whitespace collapsed."""
        parts = [child if isinstance(child, str) else child.text for child in self.children]
        return " ".join(" ".join(parts).split())

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str, **attrs) -> list["Element"]:
        """Descendants (and self) with this tag whose attributes equal the ones given (``class_`` for class)."""
        wanted = {name.rstrip("_"): value for name, value in attrs.items()}
        return [
            element
            for element in self.iter()
            if element.tag == tag and all(element.attrs.get(name) == value for name, value in wanted.items())
        ]

    def find(self, tag: str, **attrs) -> "Element | None":
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def by_id(self, element_id: str) -> "Element | None":
        return next((element for element in self.iter() if element.attrs.get("id") == element_id), None)


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value if value is not None else "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(response_or_html) -> Element:
    html = response_or_html if isinstance(response_or_html, str) else response_or_html.content.decode()
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def table_rows(table: Element) -> list[list[str]]:
    """The text of each cell (th or td) of each body row."""
    body = table.find("tbody") or table
    return [[cell.text for cell in row.children if isinstance(cell, Element) and cell.tag in {"td", "th"}]
            for row in body.find_all("tr")]  # fmt: skip


def selected_option(select: Element) -> str | None:
    chosen = [option for option in select.find_all("option") if "selected" in option.attrs]
    return chosen[0].attrs.get("value") if chosen else None
