"""The signer's PDF copy reads back with the text, the name, the time, the hash and the audit trail."""

import datetime
import io

import pytest
from django.utils import translation
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFont

from onboarding.declarations import pdf as declaration_pdf
from onboarding.declarations.pdf import DeclarationPdfData, format_moment
from onboarding.declarations.selectors import signature_pdf
from onboarding.models import DeclarationSignature
from tests.onboarding.declaration_support import external_fixture, send_link, sign_data, sign_url  # noqa: F401
from tests.pdf_checks import assert_pdfa_2b

SIGNED_AT = datetime.datetime(2026, 11, 29, 13, 5, 9, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _text(pdf: bytes) -> str:
    assert_pdfa_2b(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _data(**overrides) -> DeclarationPdfData:
    values = {
        "organisation": "Provincie Zuid-Holland",
        "title": "Integriteitsverklaring externen",
        "paragraphs": ["Ik verklaar dat ik de gedragscode heb gelezen.", "Ik meld nevenwerkzaamheden."],
        "text_version": 1,
        "text_sha256": "ab" * 32,
        "signed_name": "Zoë Françoise van der Öster",
        "signed_at": SIGNED_AT,
        "verification_code": "Vx3-k9_QmZ2pLw7a",
        "ip_address": "192.0.2.15",
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
        "sent_at": SIGNED_AT - datetime.timedelta(days=2),
        "opened_at": SIGNED_AT - datetime.timedelta(minutes=4),
    }
    values.update(overrides)
    return DeclarationPdfData(**values)


def test_the_pdf_holds_the_name_with_accents_the_time_the_hash_and_the_code():
    text = _flat(_text(declaration_pdf.declaration_pdf(_data())))

    assert "Zoë Françoise van der Öster" in text
    assert "2026-11-29 13:05:09 UTC" in text
    assert "ab" * 32 in text
    assert "Vx3-k9_QmZ2pLw7a" in text
    assert "Ik verklaar dat ik de gedragscode heb gelezen." in text


def test_the_audit_section_lists_sent_opened_and_signed_with_times():
    text = _flat(_text(declaration_pdf.declaration_pdf(_data())))

    assert "Audit trail" in text
    assert f"Link sent {format_moment(SIGNED_AT - datetime.timedelta(days=2))}" in text
    assert f"Link opened {format_moment(SIGNED_AT - datetime.timedelta(minutes=4))}" in text
    assert f"Signed {format_moment(SIGNED_AT)}" in text
    assert "192.0.2.15" in text and "Firefox/140.0" in text


def test_long_text_wraps_onto_more_pages_and_nothing_is_cut():
    paragraphs = [f"Alinea {n}: " + "integriteit en zorgvuldigheid " * 40 + f"einde {n}." for n in range(12)]

    pdf = declaration_pdf.declaration_pdf(_data(paragraphs=paragraphs, user_agent="A" * 300))

    text = _flat(_text(pdf))
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 1
    for n in range(12):
        assert f"einde {n}." in text
    assert "A" * 300 in text.replace(" ", "")


def test_a_withdrawn_signature_says_so_on_its_pdf():
    text = _flat(
        _text(declaration_pdf.declaration_pdf(_data(withdrawn_at=SIGNED_AT, withdrawal_reason="Getekend door collega")))
    )
    assert "Withdrawn at" in text and "Getekend door collega" in text


def test_the_fallback_font_has_the_accents_of_dutch_and_french_names():
    from pathlib import Path

    import reportlab

    vera = TTFont("VeraProbe", str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"))
    assert all(ord(char) in vera.face.charToGlyph for char in "ëöçéèïüáàÉÖÇ")


@pytest.mark.django_db
def test_the_signed_pdf_matches_the_signature_record(external, mailbox, client):
    token = send_link(external, mailbox=mailbox)
    client.post(sign_url(token), sign_data(client, token))
    signature = DeclarationSignature.objects.select_related("request", "text").get()

    text = _flat(_text(signature_pdf(signature)))

    assert signature.text.language == "nl"
    assert "Integriteitsverklaring externen" in text
    assert signature.signed_name in text
    assert signature.text_sha256 in text
    assert signature.verification_code in text
    assert f"{signature.signed_at.astimezone(datetime.UTC):%Y-%m-%d %H:%M:%S} UTC" in text
