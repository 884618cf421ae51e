"""500 proofs of oath in one PDF through eed/proofs/pdf.py, against a bare reportlab page.

The bare page is what reportlab does without our code: the same text drawn
line by line with ``drawString`` (the formula split with ``simpleSplit``)
and the same QR code (reportlab's ``qrencoder``, each dark module a
rectangle), 500 pages in one file. Both run in the same process, alternating,
and the medians are compared (shared/PERFORMANCE.md).

The 500 proofs are finished as PDF/A-2b (core/pdfa.py: pikepdf adds the
output intent and XMP, then validates the bytes it wrote); the bare page is
not. The organisation seal (core/pdf_seal.py) is measured apart, per proof.

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
SEALED = 20  # proofs sealed one by one to measure the seal's cost


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
    seal_b_b, seal_b_t = seal_cost(proofs[:SEALED])
    emit("seal_b_b_ms_per_proof", seal_b_b * 1000, "ms/proof", None)
    emit("seal_b_t_ms_per_proof", seal_b_t * 1000, "ms/proof", None)


def seal_cost(proofs) -> tuple[float, float]:
    """Seconds per proof the seal adds: PAdES B-B, and B-T with a timestamp server on 127.0.0.1.

    Each proof is its own file here (as downloaded or mailed), sealed after
    the PDF/A step; a throwaway certificate (tests/seal_support.py) signs.
    """
    import tempfile
    from pathlib import Path

    from django.conf import settings

    from core.pdf_seal import seal
    from eed.proofs.pdf import proof_pdf
    from tests.seal_support import PASSWORD, TimestampServer, make_pki

    files = [proof_pdf(proof) for proof in proofs]
    with tempfile.TemporaryDirectory() as folder:
        pki = make_pki(Path(folder))
        settings.PDF_SEAL_P12, settings.PDF_SEAL_PASSWORD, settings.PDF_SEAL_TSA_URL = str(pki.p12), PASSWORD, ""
        seal(files[0])  # warm up: reads the PKCS#12 file once
        started = time.perf_counter()
        for data in files:
            seal(data)
        b_b = (time.perf_counter() - started) / len(files)
        with TimestampServer(pki.tsa) as server:
            settings.PDF_SEAL_TSA_URL = server.url
            started = time.perf_counter()
            for data in files:
                seal(data)
            b_t = (time.perf_counter() - started) / len(files)
        settings.PDF_SEAL_P12 = settings.PDF_SEAL_TSA_URL = ""
    return b_b, b_t


if __name__ == "__main__":
    main()
