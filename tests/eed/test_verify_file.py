"""The public verification page takes a file: exactly a document we issued, or not (#17)."""

import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from eed.models import Certificate
from eed.proofs.certificates import certificate_revoke
from eed.proofs.documents import certificate_pdf
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

pytestmark = pytest.mark.django_db
URL = "/verify/"


@pytest.fixture
def proof(hr, manager):
    ceremony = ceremony_on(-1)
    appointment = assign(ceremony, newcomer(manager, given_names="Jan", surname="Berg"), hr, form="oath")
    record(ceremony, hr, [taken(appointment)])
    certificate = Certificate.objects.get(appointment=appointment)
    return certificate, certificate_pdf(certificate)


def _text(response) -> str:
    return " ".join(text_in(response.content.decode()).split())


def check(data: bytes, *, name="bewijs.pdf", client=None):
    return (client or Client()).post(URL, {"document": SimpleUploadedFile(name, data, "application/pdf")})


def test_the_page_is_public_and_says_what_it_does():
    response = Client().get(URL)
    assert response.status_code == 200
    assert reverse("document_verify") == URL
    assert "niet bewaard" in _text(response)
    assert response["Cache-Control"].startswith("max-age=0") and response["Referrer-Policy"] == "no-referrer"


def test_an_issued_proof_is_recognised_with_its_details(proof):
    certificate, data = proof
    page = _text(check(data))
    assert "Door ons uitgegeven" in page
    assert certificate.number in page and certificate.public_name in page
    assert "maar ingetrokken" not in page and "niet ingetrokken" in page


def test_one_changed_byte_is_not_a_document_we_issued(proof):
    certificate, data = proof
    for position in (0 + 20, len(data) // 2, len(data) - 10):
        changed = bytearray(data)
        changed[position] ^= 0x20
        page = _text(check(bytes(changed)))
        assert "Geen document dat wij hebben uitgegeven" in page
        assert certificate.number not in page


def test_a_revoked_proof_is_recognised_as_revoked(proof, hr):
    certificate, data = proof
    certificate_revoke(certificate=certificate, by=hr, reason="Verkeerde datum", now=timezone.now())
    page = _text(check(data))
    assert "Door ons uitgegeven, maar ingetrokken" in page


def test_a_declaration_copy_is_recognised_and_then_withdrawn(external, mailbox, client, hr):
    token = send_link(external, mailbox=mailbox)
    client.post(sign_url(token), sign_data(client, token))
    copy = pdf_attachment(mailbox()[-1])
    assert "integriteitsverklaring" in _text(check(copy))
    assert "ingetrokken" not in _text(check(copy))
    DeclarationSignature.objects.update(
        withdrawn_at=timezone.now() - datetime.timedelta(hours=1), withdrawal_reason="x"
    )
    assert "ingetrokken" in _text(check(copy))


def test_not_a_pdf_too_large_or_missing_is_a_clear_message_and_nothing_is_kept(proof, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.VERIFY_FILE_MAX_BYTES = 1000
    _certificate, data = proof
    not_pdf = check(b"GIF89a....", name="plaatje.gif")
    assert not_pdf.status_code == 400 and "Kies een PDF-bestand" in _text(not_pdf)
    too_large = check(data)  # over the limit: the form says so
    assert too_large.status_code == 400
    assert "groter dan" in _text(too_large)
    far_too_large = check(data * 2)  # the body itself is too long: refused before it is read
    assert far_too_large.status_code == 413 and "groter dan" in _text(far_too_large)
    missing = Client().post(URL, {})
    assert missing.status_code == 400
    assert not list(tmp_path.rglob("*"))


def test_posts_are_limited_per_client_and_need_the_csrf_token(proof, settings):
    settings.VERIFY_FILE_POSTS_PER_MINUTE = 2
    _certificate, data = proof
    client = Client()
    assert [check(data, client=client).status_code for _ in range(3)] == [200, 200, 429]
    cache.clear()  # a new minute
    guarded = Client(enforce_csrf_checks=True)
    assert guarded.post(URL, {"document": SimpleUploadedFile("b.pdf", data)}).status_code == 403
