"""Every PDF we serve is finished here as PDF/A-2b: archival (Archiefwet, Forum Standaardisatie).

ReportLab has no PDF/A mode; pikepdf (``pikepdf[pdfa]``) finishes its file:
the sRGB output intent (the ICC profile pikepdf ships, so nothing outside the
pip install is needed), the XMP packet with ``pdfaid:part=2``,
``conformance=B``, and a validation of the very bytes written (pikepdf's
allowlist validator, no Java): a file that does not pass raises, it is never
served. What the callers must do themselves, before this step: start the
canvas in the embedded TTF (``initialFontName``, see ``canvas_options``) and
give every table style a font, so no non-embedded Helvetica is referenced.

The bytes are stable: the dates in the document information and in the XMP
packet are the ``moment`` given (a proof's issue moment), the file ID is
derived from the content, and ReportLab runs in its invariant mode, so the
same document comes out as the same bytes, and so has the same SHA-256
(recorded when a proof or declaration copy is issued). A document without a
moment of its own (the attendance list, the annual figures) is dated now.

pikepdf is imported when a document is finished, not with this module, which
the organisation's details import: with the lxml it loads, it adds ~20 MB to
every process otherwise (each web worker, each import).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pikepdf

from core.pdf_fonts import font_name

FLAVOUR = "2b"
CREATOR = "Eed en onboarding"
_METADATA_DATE = re.compile(rb"<xmp:MetadataDate>[^<]*</xmp:MetadataDate>")


def canvas_options() -> dict:
    """Keyword arguments for a ReportLab ``Canvas`` or ``SimpleDocTemplate``.

    The embedded TTF as the initial font (otherwise every page and table cell
    starts in Helvetica, which PDF/A rejects as not embedded) and invariant
    mode (no time or random ID written by ReportLab).
    """
    return {"initialFontName": font_name(), "invariant": 1}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _drop_empty_transitions(pdf: pikepdf.Pdf) -> None:
    """ReportLab writes ``/Trans << >>`` on each page; PDF/A's checkers do not know an empty one."""
    import pikepdf

    for page in pdf.pages:
        transition = page.obj.get("/Trans")
        if isinstance(transition, pikepdf.Dictionary) and not transition.keys():
            del page.obj["/Trans"]


def _set_info(pdf: pikepdf.Pdf, *, title: str, author: str, moment: datetime.datetime) -> None:
    import pikepdf
    from pikepdf.models.metadata import encode_pdf_date

    stamp = encode_pdf_date(moment.astimezone(datetime.UTC))
    info = pikepdf.Dictionary(
        Title=pikepdf.String(title),
        Creator=pikepdf.String(CREATOR),
        CreationDate=pikepdf.String(stamp),
        ModDate=pikepdf.String(stamp),
    )
    if author:
        info.Author = pikepdf.String(author)
    pdf.trailer.Info = pdf.make_indirect(info)


def _fix_metadata_date(pdf: pikepdf.Pdf, moment: datetime.datetime) -> None:
    """pikepdf stamps xmp:MetadataDate with the time of the call: the document's moment instead."""
    packet = pdf.Root.Metadata.read_bytes()
    fixed = f"<xmp:MetadataDate>{moment.astimezone(datetime.UTC).isoformat()}</xmp:MetadataDate>".encode()
    pdf.Root.Metadata.write(_METADATA_DATE.sub(fixed, packet))


def pdfa_from_reportlab(
    data: bytes, *, title: str, author: str = "", language: str = "", moment: datetime.datetime | None = None
) -> bytes:
    """ReportLab's PDF as validated PDF/A-2b bytes, the same bytes for the same input.

    Raises ``pikepdf.pdfa.PdfaError`` when the result does not validate (a
    programming error: a font not embedded, a construct not allowed).
    """
    import pikepdf
    import pikepdf.pdfa

    moment = moment or datetime.datetime.now(datetime.UTC)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _drop_empty_transitions(pdf)
        _set_info(pdf, title=title, author=author, moment=moment)
        if language:
            pdf.Root.Lang = pikepdf.String(language)
        pikepdf.pdfa.prepare(pdf, FLAVOUR)
        _fix_metadata_date(pdf, moment)
        out = io.BytesIO()
        pikepdf.pdfa.save(pdf, out, FLAVOUR, repair=False, deterministic_id=True)
    return out.getvalue()
