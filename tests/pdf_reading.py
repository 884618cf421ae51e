"""Our PDFs read back for their words, and their pages rendered for review in test-output/screenshots/."""

import io
import subprocess
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from tests.eed.ceremony_day import require_tool
from tests.parts import SCREENSHOTS

PUNCTUATION = ",.;:()"


def pdf_words(pdf: bytes) -> list[str]:
    """Every word of every page, in reading order, as pypdf extracts them (a line break splits nothing else)."""
    return [word for page in PdfReader(io.BytesIO(pdf)).pages for word in page.extract_text().split()]


def broken_words(pdf: bytes, *phrases: str) -> list[str]:
    """What is wrong with the phrases' words in the PDF: a word missing, or a word printed in two pieces.

    A name may wrap between its words ("Maximiliaan van den" / "Heuvel-Oudshoorn"): each word must
    still appear whole, and no word may also appear cut in two ("Afgeleg" and "d", "Heuvel-" and "Oudshoorn").
    """
    found = {word.strip(PUNCTUATION) for word in pdf_words(pdf)}
    wanted = {word.strip(PUNCTUATION) for phrase in phrases for word in phrase.split()}
    problems = [f"{word!r} is not there whole" for word in sorted(wanted - found)]
    for word in sorted(wanted):
        cuts = [(word[:i], word[i:]) for i in range(1, len(word)) if word[:i] in found and word[i:] in found]
        problems += [f"{word!r} is cut as {head!r} / {tail!r}" for head, tail in cuts]
    return problems


def render_pages(pdf: bytes, name: str, *, resolution: int = 80) -> list[Path]:
    """Each page as test-output/screenshots/pdf-<name>-<n>.png (pdftoppm), to look at and to check."""
    pdftoppm = require_tool("pdftoppm")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob(f"pdf-{name}-*.png"):
        old.unlink()
    source = SCREENSHOTS / f"pdf-{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run([pdftoppm, "-r", str(resolution), "-png", str(source), str(SCREENSHOTS / f"pdf-{name}")], check=True)
    source.unlink()
    return sorted(SCREENSHOTS.glob(f"pdf-{name}-*.png"))


def inked_beyond(png: Path, *, right_mm: float) -> bool:
    """Whether anything is drawn in the strip ``right_mm`` wide along the page's right edge (A4, 210 mm)."""
    with Image.open(png) as image:
        grey = image.convert("L")
        left = round(grey.width * (210 - right_mm) / 210)
        strip = grey.crop((left, 0, grey.width, grey.height))
        return strip.getextrema()[0] < 200
