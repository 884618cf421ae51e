"""Anyone holding a proof checks it on a public page: the least data, the same 404 for anything unknown."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from eed.models import Certificate
from eed.proofs.corrections import appointment_correct
from tests.eed.ceremony_day import assign, ceremony_on, newcomer, record, taken

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(hr, manager):
    ceremony = ceremony_on(-1)
    person = newcomer(manager, given_names="Jan Pieter", surname_prefix="van der", surname="Berg")
    appointment = assign(ceremony, person, hr, form="affirmation")
    record(ceremony, hr, [taken(appointment, form="affirmation")])
    return Certificate.objects.get()


def verify(client, code):
    return client.get(reverse("certificate_verify", args=[code]))


def page_without_request_details(response) -> str:
    """The page less what differs per request anyway (the CSRF token, the path for the language switch)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'name="next" value="[^"]*"', "", html)


def test_a_genuine_proof_shows_number_initials_date_form_and_organisation_without_login(certificate, client):
    page = verify(client, certificate.verification_code)
    html = page.content.decode()

    assert page.status_code == 200
    assert certificate.number in html
    assert "J.P. van der Berg" in html
    assert "Jan Pieter" not in html  # initials only
    assert f"{certificate.oath_date.day} " in html and str(certificate.oath_date.year) in html
    assert "Provincie Zuid-Holland" in html
    assert "verification--revoked" not in html
    assert page.context["certificate"].form == "affirmation"
    assert page["Referrer-Policy"] == "no-referrer"
    assert "noindex" in page["X-Robots-Tag"]


def test_the_code_is_random_url_safe_and_at_least_128_bits(certificate):
    code = certificate.verification_code
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", code)  # 32 characters of base64: 192 bits
    assert certificate.number not in code
    assert Certificate.objects.filter(verification_code=code).count() == 1


def test_a_revoked_proof_says_so(certificate, client, hr):
    appointment_correct(appointment=certificate.appointment, by=hr, reason="Eed, niet belofte", form_used="oath")

    old = verify(client, certificate.verification_code)
    new = verify(client, Certificate.objects.get(revoked_at__isnull=True).verification_code)

    assert old.status_code == 200 and "verification--revoked" in old.content.decode()
    assert "Eed, niet belofte" not in old.content.decode()  # the reason stays internal
    assert new.status_code == 200 and "verification--revoked" not in new.content.decode()


@pytest.mark.parametrize("code", ["A" * 32, "short", "x" * 200, "%27%20OR%201=1--", "ZH-2022-0001"])
def test_unknown_and_malformed_codes_get_the_same_neutral_404(certificate, client, code):
    unknown = client.get(f"/verify/{code}/")
    reference = verify(client, "B" * 32)

    assert unknown.status_code == 404
    assert [t.name for t in unknown.templates][:1] == ["eed/verify_not_found.html"]
    assert page_without_request_details(unknown) == page_without_request_details(reference)
    assert certificate.number not in unknown.content.decode()


def test_each_client_is_limited_per_minute(certificate, settings):
    settings.VERIFY_PER_MINUTE = 3
    one, other = Client(REMOTE_ADDR="192.0.2.10"), Client(REMOTE_ADDR="192.0.2.11")

    answers = [verify(one, certificate.verification_code).status_code for _ in range(5)]

    assert answers == [200, 200, 200, 429, 429]
    assert verify(other, certificate.verification_code).status_code == 200
