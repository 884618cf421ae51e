"""Parsing one part of an XLSX zip with expat under a budget: bytes unpacked, XML elements, nesting
depth; a DOCTYPE is refused. ``xlsx`` builds its readers of the workbook, styles, strings and sheet on this.
"""

import io
import zipfile
import zlib
from collections.abc import Iterator
from xml.parsers import expat

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from onboarding.imports.formats import (
    ImportFormatError,
    unreadable_workbook_message,
)

# A 100,000-row export with a dozen columns unpacks to ~40 MB and ~3 million XML elements.
WORKBOOK = "xl/workbook.xml"
XLSX_MAX_UNPACKED_BYTES = 100 * 1024 * 1024


MAX_XML_ELEMENTS = 6_000_000


MAX_DEPTH = 64  # Excel writes at most ~10 levels


# Longest stretch without "<" or ">": bounds what expat buffers for one tag (a cell is at most ~128 KB).
MAX_MARKUP_GAP = 1024 * 1024


CHUNK_BYTES = 64 * 1024


ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError)


READ_ERRORS = (*ZIP_ERRORS, expat.ExpatError, ValueError, KeyError, IndexError)


def limit_error(message: str, limit: int) -> ImportFormatError:
    return ImportFormatError(message % {"max": number_format(limit, force_grouping=True)})


def opened_archive(content: bytes) -> zipfile.ZipFile:
    """The zip, refused early when it is no workbook or says it unpacks too large."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        declared = sum(info.file_size for info in archive.infolist())
    except (*ZIP_ERRORS, ValueError):
        raise ImportFormatError(unreadable_workbook_message()) from None
    if WORKBOOK not in archive.NameToInfo:
        archive.close()
        raise ImportFormatError(_("This is a ZIP file, not an Excel workbook (.xlsx)."))
    if declared > XLSX_MAX_UNPACKED_BYTES:
        archive.close()
        raise too_large_error()
    return archive


def too_large_error() -> ImportFormatError:
    return limit_error(
        _("The Excel workbook is larger than %(max)s MB once unpacked. Split it into smaller files."),
        XLSX_MAX_UNPACKED_BYTES // (1024 * 1024),
    )


class Budget:
    """What may still be read of the workbook, over all its parts."""

    def __init__(self):
        self.bytes = XLSX_MAX_UNPACKED_BYTES
        self.elements = MAX_XML_ELEMENTS

    def spend_bytes(self, count: int) -> None:
        self.bytes -= count
        if self.bytes < 0:
            raise too_large_error()

    def too_many_elements(self) -> ImportFormatError:
        return limit_error(
            _(
                "The Excel workbook is too complex to read: it has more than %(max)s XML elements. "
                "Split it into smaller files, or export it as CSV."
            ),
            MAX_XML_ELEMENTS,
        )


class PartReader:
    """Handles the elements of one part by local name; counts elements and depth against the budget."""

    def __init__(self, budget: Budget):
        self.budget = budget
        self.depth = 0

    def element_start(self, name: str, attributes: dict) -> None:
        self.budget.elements -= 1
        if self.budget.elements < 0:
            raise self.budget.too_many_elements()
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ImportFormatError(unreadable_workbook_message())
        self.start(name.rpartition(" ")[2], attributes)

    def element_end(self, name: str) -> None:
        self.depth -= 1
        self.end(name.rpartition(" ")[2])

    def start(self, name: str, attributes: dict) -> None:
        pass

    def end(self, name: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass


def _refuse_doctype(*_args) -> None:
    raise ImportFormatError(unreadable_workbook_message())


def _parser(reader: PartReader):
    """An expat parser for ``reader``: namespaces resolved, any DOCTYPE or entity declaration refused."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = CHUNK_BYTES
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.ExternalEntityRefHandler = _refuse_doctype
    parser.StartElementHandler = reader.element_start
    parser.EndElementHandler = reader.element_end
    parser.CharacterDataHandler = reader.text
    return parser


def fed_part(archive: zipfile.ZipFile, name: str, reader: PartReader) -> Iterator[None]:
    """Feed the zip member to ``reader`` chunk by chunk (unpacked bytes counted), yielding after each."""
    parser = _parser(reader)
    gap = 0
    with archive.open(name) as member:
        while chunk := member.read(CHUNK_BYTES):
            reader.budget.spend_bytes(len(chunk))
            gap = _markup_gap(chunk, gap)
            parser.Parse(chunk, False)
            yield
    parser.Parse(b"", True)
    yield


def read_part(archive: zipfile.ZipFile, name: str, reader: PartReader):
    for _chunk in fed_part(archive, name, reader):
        pass
    return reader


def _markup_gap(chunk: bytes, gap: int) -> int:
    """The bytes since the last "<" or ">" at the end of ``chunk``, given ``gap`` such bytes before it."""
    markup = [index for index in (chunk.find(b"<"), chunk.find(b">")) if index >= 0]
    if markup:
        if gap + min(markup) > MAX_MARKUP_GAP:
            raise ImportFormatError(unreadable_workbook_message())
        gap = len(chunk) - 1 - max(chunk.rfind(b"<"), chunk.rfind(b">"))
    else:
        gap += len(chunk)
    if gap > MAX_MARKUP_GAP:
        raise ImportFormatError(unreadable_workbook_message())
    return gap
