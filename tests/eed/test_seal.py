"""The organisation seal (PAdES) on proofs and declaration copies, with a throwaway CA and a TSA on 127.0.0.1 (#17)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from core.pdf_seal import unsealed_candidates
from core.pdfa import sha256
from eed.models import Certificate
from eed.proofs.documents import issued_pdf
from onboarding.models import DeclarationSignature
from tests.eed.ceremony_day import assign, ceremony_on, newcomer, record, taken
from tests.html import text_in
from tests.onboarding.declaration_support import (  # noqa: F401 (fixtures)
    external_fixture,
    pdf_attachment,
    send_link,
    sign_data,
    sign_url,
)
from tests.pdf_checks import assert_pdfa_2b
from tests.seal_support import PASSWORD, TimestampServer, as_asn1, make_pki

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """Made once for the module: three RSA keys take a while."""
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def sealing(pki, settings):
    """The seal configured with a timestamp server on 127.0.0.1 (PAdES B-T)."""
    settings.PDF_SEAL_P12 = str(pki.p12)
    settings.PDF_SEAL_PASSWORD = PASSWORD
    with TimestampServer(pki.tsa) as server:
        settings.PDF_SEAL_TSA_URL = server.url
        yield server


@pytest.fixture
def certificate(hr, manager):
    ceremony = ceremony_on(-1)
    appointment = assign(ceremony, newcomer(manager, given_names="Jan", surname="Berg"), hr, form="oath")
    record(ceremony, hr, [taken(appointment)])
    return Certificate.objects.get(appointment=appointment)


def seal_status(data: bytes, root):
    (embedded,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    context = ValidationContext(trust_roots=[as_asn1(root)], allow_fetching=False)
    return validate_pdf_signature(embedded, context)


def upload_text(data: bytes) -> str:
    response = Client().post("/verify/", {"document": SimpleUploadedFile("bewijs.pdf", data)})
    return " ".join(text_in(response.content.decode()).split())


def test_a_sealed_proof_is_intact_valid_timestamped_and_trusted_against_the_test_root(
    sealing, pki, certificate, hr_client
):
    sealed = hr_client.get(reverse("certificate_pdf", args=[certificate.pk])).content

    status = seal_status(sealed, pki.root)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted  # PAdES B-T
    assert sealing.requests >= 1
    assert status.signing_cert.subject.native["common_name"] == "Testprovincie zegel"
    assert_pdfa_2b(sealed, sealed=True)
    # The seal is an incremental update on the PDF/A whose hash was recorded at issue.
    unsealed = issued_pdf(certificate)
    assert sealed.startswith(unsealed) and sha256(unsealed) == certificate.pdf_sha256
    assert_pdfa_2b(unsealed)


def test_without_a_timestamp_server_the_seal_is_pades_b_b(pki, settings, certificate, hr_client):
    settings.PDF_SEAL_P12, settings.PDF_SEAL_PASSWORD, settings.PDF_SEAL_TSA_URL = str(pki.p12), PASSWORD, ""
    sealed = hr_client.get(reverse("certificate_pdf", args=[certificate.pk])).content
    status = seal_status(sealed, pki.root)
    assert status.intact and status.valid and status.trusted and status.timestamp_validity is None


def test_an_unreachable_timestamp_server_still_seals_without_a_timestamp(pki, settings, certificate, hr_client):
    settings.PDF_SEAL_P12, settings.PDF_SEAL_PASSWORD = str(pki.p12), PASSWORD
    settings.PDF_SEAL_TSA_URL = "http://127.0.0.1:9/tsa"  # the discard port: nothing answers
    response = hr_client.get(reverse("certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200
    status = seal_status(response.content, pki.root)
    assert status.intact and status.valid and status.timestamp_validity is None


def test_without_a_seal_configured_nothing_is_signed(certificate, hr_client):
    content = hr_client.get(reverse("certificate_pdf", args=[certificate.pk])).content
    assert content == issued_pdf(certificate)
    assert PdfFileReader(io.BytesIO(content)).embedded_signatures == []


def test_the_verification_page_recognises_a_sealed_proof_and_refuses_a_changed_one(sealing, certificate, hr_client):
    sealed = hr_client.get(reverse("certificate_pdf", args=[certificate.pk])).content

    page = upload_text(sealed)
    assert "Door ons uitgegeven" in page and certificate.number in page
    assert "organisatiezegel is intact" in page and "tijdstempel" in page
    unsealed_length = len(issued_pdf(certificate))
    for position in (unsealed_length // 2, unsealed_length + 200, len(sealed) - 30):
        changed = bytearray(sealed)
        changed[position] ^= 0x01
        page = upload_text(bytes(changed))
        assert "Geen document dat wij hebben uitgegeven" in page and certificate.number not in page


def test_our_proof_sealed_with_another_certificate_is_ours_but_the_page_says_whose_seal_it_is(
    sealing, pki, certificate, hr_client, tmp_path, settings
):
    (tmp_path / "other").mkdir()
    settings.PDF_SEAL_P12 = str(make_pki(tmp_path / "other").p12)
    foreign = hr_client.get(reverse("certificate_pdf", args=[certificate.pk])).content
    settings.PDF_SEAL_P12 = str(pki.p12)
    page = upload_text(foreign)
    assert "Door ons uitgegeven" in page and certificate.number in page
    assert "niet ons huidige zegelcertificaat" in page and "organisatiezegel is intact" not in page
    changed = bytearray(foreign)
    changed[-40] ^= 0x01
    assert "Geen document dat wij hebben uitgegeven" in upload_text(bytes(changed))


def test_the_declaration_copy_is_mailed_sealed_and_recognised(sealing, pki, external, mailbox, client):
    token = send_link(external, mailbox=mailbox)
    client.post(sign_url(token), sign_data(client, token))
    mailed = pdf_attachment(mailbox()[-1], sealed=True)

    status = seal_status(mailed, pki.root)
    assert status.intact and status.valid and status.trusted
    signature = DeclarationSignature.objects.get()
    assert sha256(unsealed_candidates(mailed)[0]) == signature.pdf_sha256
    assert "integriteitsverklaring" in upload_text(mailed)
