"""Crafted XLSX workbooks, small once packed but costly to read, built with zipfile.

``workbook(sheet_rows=..., shared_strings=..., styles=...)`` writes a minimal
workbook an Excel reader accepts (content types, workbook, relationships,
first worksheet). Parts are given as iterables of byte chunks, so a part of
~100 MB unpacked is written without holding it in memory. ``CRAFTED`` holds
the full-size attacks (each a few hundred KB packed) for
``benchmarks/import_100k_memory.py``; the tests build smaller ones.
"""

import io
import zipfile
from collections.abc import Callable, Iterable

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER = ["personnel_number", "given_names", "surname", "email", "start_date", "kind"]
FIRST_ROW = ["P1", "Anna", "Jansen", "anna@example.org", "01-03-2026", "employee"]
CHUNK_BYTES = 1024 * 1024

_CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "{extra}</Types>"
)
_SHARED_STRINGS_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_STYLES_TYPE = (
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
)
_ROOT_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
    '<sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)


def _relationships(*, shared_strings: bool, styles: bool) -> str:
    rels = [f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>']
    if shared_strings:
        rels.append(f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>')
    if styles:
        rels.append(f'<Relationship Id="rId3" Type="{RELS}/styles" Target="styles.xml"/>')
    return f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{"".join(rels)}</Relationships>'


def workbook(
    *,
    sheet_rows: Iterable[bytes] = (),
    shared_strings: Iterable[bytes] | None = None,
    styles: Iterable[bytes] | None = None,
    dimension: str = "",
    prologue: bytes = b"",
) -> bytes:
    """A workbook whose first sheet's <sheetData> holds ``sheet_rows`` (chunks of XML)."""
    out = io.BytesIO()
    extra = (_SHARED_STRINGS_TYPE if shared_strings is not None else "") + (_STYLES_TYPE if styles is not None else "")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(extra=extra))
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        rels = _relationships(shared_strings=shared_strings is not None, styles=styles is not None)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        dimension_xml = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
        _write(
            archive,
            "xl/worksheets/sheet1.xml",
            [prologue, f'<worksheet xmlns="{MAIN}">'.encode(), dimension_xml, b"<sheetData>"],
            sheet_rows,
            [b"</sheetData></worksheet>"],
        )
        if shared_strings is not None:
            _write(archive, "xl/sharedStrings.xml", [f'<sst xmlns="{MAIN}">'.encode()], shared_strings, [b"</sst>"])
        if styles is not None:
            _write(archive, "xl/styles.xml", [f'<styleSheet xmlns="{MAIN}">'.encode()], styles, [b"</styleSheet>"])
    return out.getvalue()


def _write(archive: zipfile.ZipFile, name: str, *chunk_lists: Iterable[bytes]) -> None:
    with archive.open(name, "w", force_zip64=True) as member:
        for chunks in chunk_lists:
            for chunk in chunks:
                member.write(chunk)


def repeated(piece: bytes, times: int) -> Iterable[bytes]:
    """``piece`` ``times`` times over, in chunks of about CHUNK_BYTES."""
    per_chunk = max(1, CHUNK_BYTES // len(piece))
    whole, rest = divmod(times, per_chunk)
    block = piece * per_chunk
    for _ in range(whole):
        yield block
    yield piece * rest


def inline_row(cells: list[str], number: int | None = None) -> bytes:
    """A <row> of inline text cells, without cell references (each cell is the next column)."""
    attribute = f' r="{number}"' if number else ""
    inner = "".join(f'<c t="inlineStr"><is><t>{cell}</t></is></c>' for cell in cells)
    return f"<row{attribute}>{inner}</row>".encode()


def header_rows() -> list[bytes]:
    return [inline_row(HEADER, 1), inline_row(FIRST_ROW, 2)]


# --- The attacks, full size -------------------------------------------------------


def huge_dimension() -> bytes:
    """A sheet that claims all 16,384 x 1,048,576 cells but holds two rows."""
    return workbook(sheet_rows=header_rows(), dimension="A1:XFD1048576")


def far_away_cells(rows: int = 700_000) -> bytes:
    """Rows whose second cell is in the last column (XFD): a reader that pads rows makes 16,384 cells of each."""
    row = b'<row><c t="inlineStr"><is><t>P</t></is></c><c r="XFD1"><v>1</v></c></row>'
    return workbook(sheet_rows=[inline_row(HEADER), *repeated(row, rows)])


def empty_far_cells(rows: int = 700_000) -> bytes:
    """Like far_away_cells, but the far cell is empty (only styled), as some exporters write."""
    row = b'<row><c t="inlineStr"><is><t>P</t></is></c><c r="XFD1" s="0"/></row>'
    return workbook(sheet_rows=[inline_row(HEADER), *repeated(row, rows)])


def tiny_rows(rows: int = 8_000_000) -> bytes:
    """Millions of empty rows that all claim to be row 1, so a reader that skips them never stops."""
    return workbook(sheet_rows=[*header_rows(), *repeated(b'<row r="1"/>', rows)])


def empty_shared_strings(count: int = 20_000_000) -> bytes:
    """A shared string table of millions of empty <si/> entries."""
    return workbook(sheet_rows=header_rows(), shared_strings=repeated(b"<si/>", count))


def long_shared_string(length: int = 10_000_000, rows: int = 20_000) -> bytes:
    """One shared string of millions of characters (padded with spaces), used in every cell of many rows."""
    text = b" " + b"A" * length + b" "
    row = b"<row>" + b'<c t="s"><v>0</v></c>' * len(HEADER) + b"</row>"
    strings = [b"<si><t>", text, b"</t></si>"]
    return workbook(sheet_rows=[inline_row(HEADER), *repeated(row, rows)], shared_strings=strings)


def many_columns(rows: int = 150, columns: int = 16_384) -> bytes:
    """Rows of 16,384 real cells each."""
    row = b"<row>" + b"<c><v>1</v></c>" * columns + b"</row>"
    return workbook(sheet_rows=[inline_row(HEADER), *repeated(row, rows)])


def many_styles(formats: int = 2_000_000) -> bytes:
    """A style sheet of millions of date cell formats."""
    formats_xml = repeated(b'<xf numFmtId="14" fontId="0" applyNumberFormat="1"/>', formats)
    return workbook(sheet_rows=header_rows(), styles=[b"<cellXfs>", *formats_xml, b"</cellXfs>"])


def deep_nesting(depth: int = 5_000_000) -> bytes:
    """Elements nested millions deep inside the sheet."""
    return workbook(sheet_rows=[*header_rows(), *repeated(b"<x>", depth), *repeated(b"</x>", depth)])


def billion_laughs() -> bytes:
    """Entities that expand to 10^9 characters, declared in a DOCTYPE."""
    entities = '<!ENTITY a0 "haha">' + "".join(f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10))
    prologue = f"<!DOCTYPE worksheet [{entities}]>".encode()
    row = b'<row><c t="inlineStr"><is><t>&a9;</t></is></c></row>'
    return workbook(sheet_rows=[inline_row(HEADER), row], prologue=prologue)


CRAFTED: dict[str, Callable[[], bytes]] = {
    "huge_dimension": huge_dimension,
    "far_away_cells": far_away_cells,
    "empty_far_cells": empty_far_cells,
    "tiny_rows": tiny_rows,
    "empty_shared_strings": empty_shared_strings,
    "long_shared_string": long_shared_string,
    "many_columns": many_columns,
    "many_styles": many_styles,
    "deep_nesting": deep_nesting,
    "billion_laughs": billion_laughs,
}
