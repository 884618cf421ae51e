"""Embedded TTF fonts for every PDF we make, registered with reportlab once per process.

The built-in Helvetica lacks glyphs for some letters in names, so each PDF
embeds a TTF: DejaVu (Debian's fonts-dejavu-core) covers every Latin letter
in names (ł, ő, ş ...); Vera ships with reportlab and covers Latin-1
(ë, ö, ç, é). Regular and bold always come from the same family, which is
registered as a family so ``<b>`` works in paragraphs.
"""

from dataclasses import dataclass
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_REPORTLAB = Path(reportlab.__file__).parent / "fonts"

# (regular name, regular file, bold name, bold file), best first.
_FAMILIES = (
    ("DejaVuSans", _DEJAVU / "DejaVuSans.ttf", "DejaVuSans-Bold", _DEJAVU / "DejaVuSans-Bold.ttf"),
    ("Vera", _REPORTLAB / "Vera.ttf", "VeraBd", _REPORTLAB / "VeraBd.ttf"),
)


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str


def fonts() -> Fonts:
    """The first family whose files exist, registered with reportlab when it is not yet.

    reportlab keeps registered fonts for the life of the process (its own
    registry, ``pdfmetrics``); nothing else is kept here. Reading the two
    TTFs takes ~17 ms and every page asks (``styles_for``): registering on
    every call made 50 proofs take 13 s instead of 1.7 s, where 500 must
    take < 10 s (benchmarks/certificates_500.py).
    """
    for regular, regular_path, bold, bold_path in _FAMILIES:
        if regular_path.exists() and bold_path.exists():
            for name, path in ((regular, regular_path), (bold, bold_path)):
                if name not in pdfmetrics.getRegisteredFontNames():
                    pdfmetrics.registerFont(TTFont(name, str(path)))
            pdfmetrics.registerFontFamily(regular, normal=regular, bold=bold, italic=regular, boldItalic=bold)
            return Fonts(regular=regular, bold=bold)
    raise RuntimeError("No TTF font found for PDFs: install fonts-dejavu-core.")


def font_name() -> str:
    """The regular font's name (registering it first when needed)."""
    return fonts().regular
