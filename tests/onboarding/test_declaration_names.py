"""The name an external signs with is a name: stored normalised, printed as stored; what no name has is refused."""

import io
import unicodedata

import pytest
from django.urls import reverse
from pypdf import PdfReader

from onboarding.models import DeclarationSignature
from tests.factories import NewcomerFactory
from tests.onboarding.declaration_support import (  # noqa: F401 (fixtures)
    external_fixture,
    send_link,
    sign_data,
    sign_url,
)
from tests.pdf_checks import assert_pdfa_2b

pytestmark = pytest.mark.django_db

REGISTERED = "Zoë Françoise van der Öster"


def in_script_letters(text: str) -> str:
    """``text`` with its plain ASCII letters as MATHEMATICAL BOLD SCRIPT letters (accented ones have no such form)."""
    return "".join(
        unicodedata.lookup(f"MATHEMATICAL BOLD SCRIPT {'CAPITAL' if char.isupper() else 'SMALL'} {char.upper()}")
        if char.isascii() and char.isalpha()
        else char
        for char in text
    )


STYLISED = in_script_letters(REGISTERED)


def _sign(client, token, name):
    return client.post(sign_url(token), sign_data(client, token, full_name=name))


def _pdf_text(client, token) -> str:
    pdf = client.get(reverse("declaration_pdf", kwargs={"token": token})).content
    assert_pdfa_2b(pdf)
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _form_errors(response) -> list[str]:
    form = response.context["form"]
    return [*form.non_field_errors(), *form.errors.get("full_name", [])]


def test_a_name_in_stylised_letters_is_stored_and_printed_in_plain_letters(external, mailbox, client):
    token = send_link(external, mailbox=mailbox)

    response = _sign(client, token, STYLISED)

    assert response.status_code == 302
    assert DeclarationSignature.objects.get().signed_name == REGISTERED
    printed = _pdf_text(client, token)
    assert REGISTERED in printed
    assert STYLISED[0] not in printed


def test_invisible_characters_in_the_typed_name_are_left_out(external, mailbox, client):
    token = send_link(external, mailbox=mailbox)

    response = _sign(client, token, "Zo\u200bë Fran\u200dçoise\u00ad van der \u202eÖster\u2060")

    assert response.status_code == 302
    assert DeclarationSignature.objects.get().signed_name == REGISTERED


def test_a_name_under_hundreds_of_accents_is_refused_and_nothing_is_signed(external, mailbox, client):
    token = send_link(external, mailbox=mailbox)

    response = _sign(client, token, "Zoe" + "\u0308" * 300 + " Françoise van der Öster")

    assert response.status_code == 200
    assert DeclarationSignature.objects.count() == 0
    assert _form_errors(response) == ["Uw naam heeft te veel accenten op één letter."]


@pytest.mark.parametrize(
    ("typed", "named"),
    [("Zoë Françoise van der Öster 2", "2"), ("Zoë Françoise van der Öster ☺", "☺"), ("Zoë <b>Öster", "<, >")],
)
def test_digits_and_symbols_are_refused_with_the_characters_named(external, mailbox, client, typed, named):
    token = send_link(external, mailbox=mailbox)

    response = _sign(client, token, typed)

    assert DeclarationSignature.objects.count() == 0
    (error,) = _form_errors(response)
    assert error.startswith("Typ uw naam in letters")
    assert error.endswith(f": {named}")


def test_a_registered_name_holding_a_zero_width_space_can_still_be_signed(mailbox, client):
    external = NewcomerFactory(kind="external", given_names="Zo\u200bë", surname="Öster")  # stored before the rules
    token = send_link(external, mailbox=mailbox)

    response = _sign(client, token, "zoe oster")

    assert response.status_code == 302
    assert DeclarationSignature.objects.get().signed_name == "zoe oster"
