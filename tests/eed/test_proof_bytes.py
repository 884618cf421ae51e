"""Issued documents are the same bytes at every download, and their SHA-256 is recorded when issued (#17)."""

import datetime
import hashlib

import pytest
import time_machine
from django.urls import reverse

from eed.models import Certificate
from onboarding.models import AuditEntry, DeclarationSignature
from tests.eed.ceremony_day import assign, ceremony_on, newcomer, record, taken
from tests.onboarding.declaration_support import (  # noqa: F401 (fixtures)
    external_fixture,
    pdf_attachment,
    send_link,
    sign_data,
    sign_url,
)
from tests.pdf_checks import assert_pdfa_2b

pytestmark = pytest.mark.django_db


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_proof_downloads_as_the_same_bytes_whose_hash_was_recorded_at_issue(hr, manager, hr_client):
    ceremony = ceremony_on(-1)
    appointment = assign(ceremony, newcomer(manager, given_names="Zoë", surname="Öster"), hr, form="oath")
    record(ceremony, hr, [taken(appointment)])
    certificate = Certificate.objects.get(appointment=appointment)
    url = reverse("certificate_pdf", args=[certificate.pk])

    first = hr_client.get(url).content
    with time_machine.travel(datetime.timedelta(minutes=7)):
        later = hr_client.get(url).content

    assert_pdfa_2b(first)
    assert first == later
    assert len(certificate.pdf_sha256) == 64 and sha256(first) == certificate.pdf_sha256
    issue = AuditEntry.objects.get(action="certificate.issue", target_id=str(certificate.pk))
    assert issue.changes["pdf_sha256"] == certificate.pdf_sha256
    # Another language is another document: not the one issued.
    english = hr_client.get(url, {"language": "en"}).content
    assert_pdfa_2b(english)
    assert sha256(english) != certificate.pdf_sha256


def test_the_declaration_copy_mailed_and_downloaded_is_the_one_whose_hash_was_recorded(external, mailbox, client):
    token = send_link(external, mailbox=mailbox)
    client.post(sign_url(token), sign_data(client, token))
    signature = DeclarationSignature.objects.get()
    mailed = pdf_attachment(mailbox()[-1])

    with time_machine.travel(datetime.timedelta(minutes=7)):
        downloaded = client.get(f"{sign_url(token)}pdf/").content

    assert mailed == downloaded
    assert sha256(mailed) == signature.pdf_sha256
