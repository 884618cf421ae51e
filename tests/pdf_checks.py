"""What every PDF the app makes must be: PDF/A-2b with every font embedded (issue #17).

Checked two ways: by hand on the structure (XMP identification, the sRGB
output intent, font files in every font descriptor, also of descendant
fonts, no empty /Trans), and by pikepdf's own PDF/A validator on the bytes.
veraPDF (Java, not packaged for pip or Debian) is not run.
"""

import io

import pikepdf
import pikepdf.pdfa

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def _fonts(resources) -> list:
    fonts = []
    if resources is None:
        return fonts
    for font in (resources.get("/Font") or {}).values():
        fonts.append(font)
        fonts.extend(font.get("/DescendantFonts") or [])
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.get("/Subtype") == "/Form":
            fonts.extend(_fonts(xobject.get("/Resources")))
    return fonts


def assert_pdfa_2b(data: bytes, *, sealed: bool = False) -> None:
    """Fail unless the bytes are a PDF/A-2b file with every font embedded.

    ``sealed``: the file carries a seal (a signature field, /AcroForm), which
    PDF/A-2b permits but pikepdf's allowlist validator does not check: the
    validator must then find no violation and nothing unchecked but the form.
    """
    assert data.startswith(b"%PDF-"), data[:20]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        with pdf.open_metadata() as meta:
            assert meta.get("pdfaid:part") == "2", meta.get("pdfaid:part")
            assert meta.get("pdfaid:conformance") == "B", meta.get("pdfaid:conformance")
        intents = pdf.Root.get("/OutputIntents")
        assert intents is not None and len(intents) == 1, "one output intent"
        intent = intents[0]
        assert intent.S == "/GTS_PDFA1" and "sRGB" in str(intent.OutputConditionIdentifier)
        assert intent.DestOutputProfile.N == 3, "an RGB ICC profile"
        for number, page in enumerate(pdf.pages, start=1):
            transition = page.obj.get("/Trans")
            assert transition is None or transition.keys(), f"empty /Trans on page {number}"
            for font in _fonts(page.obj.get("/Resources")):
                if font.get("/Subtype") == "/Type0":
                    continue  # its descendant is checked
                descriptor = font.get("/FontDescriptor")
                assert descriptor is not None, f"font {font.get('/BaseFont')} on page {number} has no descriptor"
                assert any(key in descriptor for key in FONT_FILES), f"font {font.get('/BaseFont')} not embedded"
    report = pikepdf.pdfa.validate_written(io.BytesIO(data), "2b")
    findings = [finding for finding in report.findings if not (sealed and _the_seals_form(finding))]
    assert (report.passed or sealed) and not findings, "\n".join(str(finding) for finding in findings)


def _the_seals_form(finding) -> bool:
    return finding.kind == "unsupported" and finding.rule == "pikepdf:schema-Catalog" and "/AcroForm" in finding.where
