"""Our own sentences say who and what: a personnel number in use names its holder, the welcome names the province."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from eed.ceremonies import services
from onboarding.models import Newcomer
from onboarding.organisation import organisation_in_text
from tests.factories import CeremonyFactory, NewcomerFactory, OfficiantFactory

pytestmark = pytest.mark.django_db


def _form_data(**overrides):
    return {
        "given_names": "Janneke",
        "surname": "Smit",
        "email": "janneke@example.org",
        "personnel_number": "104233",
        "start_date": "2027-01-31",
        "kind": "employee",
        **overrides,
    }


def test_a_personnel_number_in_use_names_its_holder_and_links_to_them(hr_client):
    holder = NewcomerFactory(given_names="Jan", surname_prefix="van der", surname="Berg", personnel_number="104233")

    response = hr_client.post(reverse("newcomer_create"), _form_data())

    html = response.content.decode()
    assert response.status_code == 200
    assert Newcomer.objects.count() == 1
    assert "Personeelsnummer 104233 is al geregistreerd voor Jan van der Berg." in html
    assert "Er bestaat al een" not in html
    assert f'href="{reverse("newcomer_detail", args=[holder.pk])}"' in html


def test_editing_a_newcomer_keeps_their_own_personnel_number(hr_client):
    newcomer = NewcomerFactory(personnel_number="104233", start_date=datetime.date(2027, 1, 31))

    response = hr_client.post(reverse("newcomer_edit", args=[newcomer.pk]), _form_data())

    assert response.status_code == 302


def test_the_model_names_the_holder_too_for_the_admin():
    NewcomerFactory(given_names="Jan", surname_prefix="van der", surname="Berg", personnel_number="104233")
    second = NewcomerFactory.build(personnel_number="104233")

    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        second.validate_unique()

    assert refused.value.message_dict["personnel_number"] == [
        "Personeelsnummer 104233 is al geregistreerd voor Jan van der Berg."
    ]


@pytest.mark.parametrize(
    ("name", "in_text", "language", "expected"),
    [
        ("Provincie Zuid-Holland", "", "nl", "de provincie Zuid-Holland"),
        ("Provincie Zuid-Holland", "", "en", "Provincie Zuid-Holland"),
        ("Provincie Utrecht", "", "nl", "de provincie Utrecht"),
        ("Gemeente Den Haag", "de gemeente Den Haag", "nl", "de gemeente Den Haag"),
    ],
)
def test_a_sentence_names_the_organisation_the_dutch_way(settings, name, in_text, language, expected):
    settings.ORGANISATION_NAME, settings.ORGANISATION_NAME_IN_TEXT = name, in_text

    with translation.override(language):
        assert organisation_in_text() == expected


def test_the_newcomer_is_welcomed_to_the_province_not_to_provincie(settings, hr, manager, mailbox):
    settings.ORGANISATION_NAME = "Provincie Zuid-Holland"
    newcomer = NewcomerFactory(given_names="Anouk", email="anouk@example.org", manager=manager, language="nl")
    services.appointment_assign(newcomer=newcomer, ceremony=CeremonyFactory(officiant=OfficiantFactory().user), by=hr)

    (mail,) = [m for m in mailbox() if m.to == ["anouk@example.org"] and "Welkom" in m.body]

    assert "Welkom bij de provincie Zuid-Holland." in mail.body
    assert "Provincie Zuid-Holland" in mail.body  # the signature keeps the name
