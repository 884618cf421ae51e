"""The signer's copy of the declaration names them as our records do and as they typed it, in the house
style of the proof of oath: the organisation's header with its address, the same type, a footer."""

import pytest
from django.urls import reverse

from onboarding.models import OrganisationProfile
from tests.eed.ceremony_day import pdf_text
from tests.factories import NewcomerFactory
from tests.onboarding.declaration_support import send_link, sign_data, sign_url
from tests.pdf_reading import broken_words, pdf_words, render_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def priya(db):
    return NewcomerFactory(kind="external", given_names="Priya", surname="Ramdin", email="priya@example.org")


def _signed_copy(client, mailbox, external, typed: str) -> bytes:
    token = send_link(external, mailbox=mailbox)
    assert client.post(sign_url(token), sign_data(client, token, full_name=typed)).status_code == 302
    return client.get(reverse("declaration_pdf", kwargs={"token": token})).content


def test_the_copy_shows_the_registered_name_and_the_name_as_typed_each_labelled(client, mailbox, priya):
    pdf = _signed_copy(client, mailbox, priya, "priya RAMDIN")

    text = pdf_text(pdf)
    assert "Naam in onze administratie Priya Ramdin" in text
    assert "Ondertekend als (de naam zoals getypt) priya RAMDIN" in text
    render_pages(pdf, "declaration-copy")


def test_the_copy_has_the_organisations_header_like_the_proof(client, mailbox, priya):
    profile = OrganisationProfile.objects.order_by("-valid_from").first()
    profile.address = "Zuid-Hollandplein 1, 2596 AW Den Haag"
    profile.save()

    pdf = _signed_copy(client, mailbox, priya, "Priya Ramdin")

    text = pdf_text(pdf)
    assert f"{profile.name} · Integriteitsverklaring externen" in text  # the footer
    assert f"{profile.name} Zuid-Hollandplein 1, 2596 AW Den Haag Integriteitsverklaring" in text
    assert "Pagina 1" in text


def test_a_long_name_is_printed_whole_in_both_rows(client, mailbox):
    external = NewcomerFactory(
        kind="external", given_names="Maximiliaan", surname_prefix="van den", surname="Heuvel-Oudshoorn"
    )

    pdf = _signed_copy(client, mailbox, external, "Maximiliaan van den Heuvel-Oudshoorn")

    assert pdf_words(pdf).count("Heuvel-Oudshoorn") == 2
    assert broken_words(pdf, "Maximiliaan van den Heuvel-Oudshoorn", "Naam in onze administratie") == []
