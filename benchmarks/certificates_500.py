"""500 proofs of oath in one PDF through eed/proofs/pdf.py, against a bare reportlab page.

The bare page is what reportlab does without our code: the same text drawn
line by line with ``drawString`` (the formula split with ``simpleSplit``)
and the same QR code (reportlab's ``qrencoder``, each dark module a
rectangle), 500 pages in one file. Both run in the same process, alternating,
and the medians are compared (shared/PERFORMANCE.md).

    python -m benchmarks.certificates_500
"""

import datetime
import io
import json
import statistics
import time

from benchmarks._common import ROOT, emit, setup_django

PROOFS = 500
ROUNDS = 3


def proofs_data():
    from eed.proofs.pdf import OrganisationData, ProofData

    oath = json.loads((ROOT / "fixtures" / "texts.json").read_text(encoding="utf-8"))[0]["fields"]
    organisation = OrganisationData(name="Provincie Zuid-Holland", address="Zuid-Hollandplein 1, 2596 AW Den Haag")
    return [
        ProofData(
            organisation=organisation,
            language="nl",
            form="oath",
            formula_title=oath["title"],
            formula=oath["body"],
            closing_words=oath["closing_words"],
            formula_version=1,
            full_name=f"Johanna Wilhelmina van der Berg-Öztürk {index}",
            date=datetime.date(2022, 5, 12),
            place="Provinciehuis, Zuid-Hollandplein 1, Den Haag",
            officiant_name="Pieter Smit",
            officiant_function="provinciesecretaris",
            witness_name="Mehmet Yilmaz",
            number=f"ZH-2022-{index:04d}",
            verification_url=f"https://eed.zuid-holland.nl/verify/{index:032d}/",
        )
        for index in range(1, PROOFS + 1)
    ]


def bare_pdf(proofs) -> bytes:
    """The same text and QR code, drawn with reportlab alone."""
    from reportlab.graphics.barcode import qrencoder
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    from core.pdf_fonts import fonts

    font = fonts().regular  # the same embedded TTF (registering it is not per page)
    width, height = A4
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for proof in proofs:
        y = height - 25 * mm
        lines = [proof.organisation.name, proof.organisation.address, "Bewijs van eedaflegging"]
        lines += [proof.full_name, "Eed", f"12 mei 2022, {proof.place}", proof.officiant_name, proof.witness_name]
        lines += [proof.number, proof.formula_title]
        for paragraph in proof.formula.split("\n\n"):
            lines += simpleSplit(paragraph, font, 10.5, width - 40 * mm)
        lines += [proof.closing_words, proof.full_name, proof.officiant_name, proof.witness_name]
        lines += [proof.number, proof.verification_url]
        canvas.setFont(font, 10.5)
        for line in lines:
            canvas.drawString(20 * mm, y, line)
            y -= 14
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(proof.verification_url)
        code.make()
        count = code.getModuleCount()
        module = 34 * mm / (count + 8)
        for row in range(count):
            for column in range(count):
                if code.isDark(row, column):
                    x = width - 54 * mm + (4 + column) * module
                    canvas.rect(x, 20 * mm + (count + 3 - row) * module, module, module, stroke=0, fill=1)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def timed(fn, proofs) -> float:
    started = time.perf_counter()
    pdf = fn(proofs)
    elapsed = time.perf_counter() - started
    if not pdf.startswith(b"%PDF-"):
        raise RuntimeError("not a PDF")
    return elapsed


def main():
    setup_django()
    from eed.proofs.pdf import proofs_pdf

    proofs = proofs_data()
    proofs_pdf(proofs[:5]), bare_pdf(proofs[:5])  # warm up: fonts, imports
    ours, bare = [], []
    for _ in range(ROUNDS):
        bare.append(timed(bare_pdf, proofs))
        ours.append(timed(proofs_pdf, proofs))
    ours_s, bare_s = statistics.median(ours), statistics.median(bare)
    emit("certificates_500_ms_per_page", ours_s * 1000 / PROOFS, "ms/page", None)
    emit("bare_reportlab_ms_per_page", bare_s * 1000 / PROOFS, "ms/page", None)
    emit("certificates_500_ratio", ours_s / bare_s, "ratio", "<= 2")
    emit("certificates_500_total", ours_s, "s", "< 10")


if __name__ == "__main__":
    main()
