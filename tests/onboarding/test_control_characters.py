"""No line break or other control character gets into a name, place or title by any way in; names are normalised.

A line break in a name used to end in a mail subject, where Django refuses the whole message (BadHeaderError):
assigning that newcomer gave a 500 and the daily reminders stopped for everyone.
"""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from eed.ceremonies import services
from eed.models import Appointment, Ceremony, DilemmaSession, ProgrammeItem
from onboarding.models import Newcomer, Text, User
from tests.factories import CeremonyFactory, NewcomerFactory, OfficiantFactory, UserFactory
from tests.mfa_support import give_totp, sign_in
from tests.onboarding.test_import import csv_bytes, row, xlsx_bytes

pytestmark = pytest.mark.django_db

# What an attacker or a sloppy export puts in a one-line field.
CONTROLS = ["\n", "\r", "\t", "\x1b", "\x7f", "\x85", "\u2028"]


def _refused(response, field: str, *, admin=False) -> bool:
    """The page came back with the control-character error on ``field``."""
    assert response.status_code == 200, response.status_code
    form = response.context["adminform"].form if admin else response.context["form"]
    return form.has_error(field, code="control_characters")


def _newcomer_data(**overrides):
    data = {
        "given_names": "Anouk",
        "surname_prefix": "van 't",
        "surname": "Hof",
        "email": "anouk@example.org",
        "personnel_number": "104233",
        "start_date": "2027-01-31",
        "kind": "employee",
        "appointing_body": "civil_service",
        "notes": "",
        "language": "nl",
    }
    return data | overrides


@pytest.mark.parametrize("control", CONTROLS)
@pytest.mark.parametrize("field", ["given_names", "surname_prefix", "surname", "personnel_number"])
def test_the_newcomer_form_refuses_control_characters_in_names(hr_client, field, control):
    response = hr_client.post(reverse("newcomer_create"), _newcomer_data(**{field: f"Hof{control}Bcc: x@example.org"}))

    assert _refused(response, field)
    assert Newcomer.objects.count() == 0


def test_the_message_names_the_field(hr_client):
    response = hr_client.post(reverse("newcomer_create"), _newcomer_data(surname="Hof\nBcc"))

    assert "Achternaam mag geen regeleinden, tabs of andere stuurtekens bevatten." in response.content.decode()


def test_notes_keep_their_lines_and_tabs_but_no_other_control_characters(hr_client):
    refused = hr_client.post(reverse("newcomer_create"), _newcomer_data(notes="Bel\x1b[2J eerst"))
    accepted = hr_client.post(reverse("newcomer_create"), _newcomer_data(notes="Start:\n\tdinsdag\r\nkamer 3"))

    assert _refused(refused, "notes")
    assert accepted.status_code == 302
    assert Newcomer.objects.get().notes == "Start:\n\tdinsdag\r\nkamer 3"


def test_registered_names_are_stored_without_invisible_characters_and_composed(hr_client):
    response = hr_client.post(
        reverse("newcomer_create"),
        _newcomer_data(given_names="Zoe\u0308\u200b  Anouk\u2060", surname_prefix="van\u00a0't", surname="\u202eHof"),
    )

    assert response.status_code == 302
    newcomer = Newcomer.objects.get()
    assert (newcomer.given_names, newcomer.surname_prefix, newcomer.surname) == ("Zoë Anouk", "van 't", "Hof")


# --- the import (CSV and XLSX), per cell ----------------------------------------------------------


@pytest.fixture
def export_file(tmp_path):
    def write(content: bytes, name: str) -> str:
        path = tmp_path / name
        path.write_bytes(content)
        return str(path)

    return write


def _import_errors(path, capsys) -> str:
    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_newcomers", path)
    return capsys.readouterr().err


def test_a_quoted_line_break_in_a_csv_name_is_a_row_problem_and_nothing_is_imported(export_file, capsys):
    content = csv_bytes([row(number="P1"), row(number="P2", surname='"Jansen\nBcc: x@example.org"')])

    errors = _import_errors(export_file(content, "export.csv"), capsys)

    assert "row 3, surname: Achternaam cannot contain line breaks, tabs or other control characters." in errors
    assert Newcomer.objects.count() == 0


@pytest.mark.parametrize("control", ["\n", "\t", "\x85", "\u2028"])
def test_a_control_character_in_an_xlsx_cell_is_a_row_problem(export_file, capsys, control):
    content = xlsx_bytes([row(number="P1", given=f"Anna{control}Maria")])

    errors = _import_errors(export_file(content, "export.xlsx"), capsys)

    assert "row 2, given_names: Voornamen cannot contain line breaks" in errors
    assert Newcomer.objects.count() == 0


def test_imported_names_are_normalised_like_typed_ones(export_file):
    content = csv_bytes([row(number="P1", given="Zoe\u0308\u200b", prefix="van\u200d der", surname="Berg\u00ad")])

    call_command("import_newcomers", export_file(content, "export.csv"))

    newcomer = Newcomer.objects.get()
    assert (newcomer.given_names, newcomer.surname_prefix, newcomer.surname) == ("Zoë", "van der", "Berg")


# --- staff, ceremonies, witnesses, sessions --------------------------------------------------------


def test_inviting_a_user_refuses_a_line_break_in_the_name(hr_client):
    response = hr_client.post(
        reverse("user_invite"),
        {"email": "new@example.org", "first_name": "Nina", "last_name": "Smit\nBcc", "roles": ["Manager"]},
    )

    assert _refused(response, "last_name")
    assert not User.objects.filter(email="new@example.org").exists()


@pytest.fixture
def admin_client_():
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    give_totp(admin)
    client = Client()
    sign_in(client, admin)
    return client


def test_the_admin_refuses_a_line_break_in_a_users_name_and_normalises_it(admin_client_, manager):
    url = reverse("admin:onboarding_user_change", args=[manager.pk])
    data = {"email": manager.email, "first_name": "Mehmet", "language": "nl", "is_active": "on"}
    data |= {"date_joined_0": "2026-01-01", "date_joined_1": "09:00:00"}

    refused = admin_client_.post(url, data | {"last_name": "Yilmaz\r\nBcc: x@example.org"})
    accepted = admin_client_.post(url, data | {"last_name": "Yil\u200bmaz"})

    assert _refused(refused, "last_name", admin=True)
    assert accepted.status_code == 302
    manager.refresh_from_db()
    assert manager.last_name == "Yilmaz"


def test_the_admin_refuses_control_characters_in_texts_and_programme_items(admin_client_):
    text = Text.objects.first()
    version = {"kind": text.kind, "language": text.language, "version": 99, "valid_from": "2030-01-01"}
    title = admin_client_.post(reverse("admin:onboarding_text_add"), version | {"title": "Eed\nBcc", "body": "a"})
    body = admin_client_.post(reverse("admin:onboarding_text_add"), version | {"title": "Eed", "body": "a\n\nb"})
    item = admin_client_.post(reverse("admin:eed_programmeitem_add"), {"name": "Koffie\x00\x1b", "position": 1})

    assert _refused(title, "title", admin=True)
    assert body.status_code == 302
    assert _refused(item, "name", admin=True)
    assert not ProgrammeItem.objects.filter(name__startswith="Koffie").exists()


def _in_days(days, hour=10):
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def test_a_ceremony_place_is_one_line_its_notes_may_have_several(hr_client):
    data = {
        "starts_at": _in_days(30).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": _in_days(30, hour=11).strftime("%Y-%m-%dT%H:%M"),
        "officiant": OfficiantFactory().user.pk,
        "capacity": 12,
    }

    refused = hr_client.post(reverse("ceremony_create"), data | {"place": "Zaal 1\r\nBcc: x@example.org"})
    accepted = hr_client.post(reverse("ceremony_create"), data | {"place": "Zaal 1", "notes": "Koffie\nThee"})

    assert _refused(refused, "place")
    assert accepted.status_code == 302
    assert Ceremony.objects.get().notes == "Koffie\nThee"


def test_a_declining_witness_cannot_name_a_substitute_over_two_lines(hr, manager, manager_client):
    appointment, _raw = services.appointment_assign(
        newcomer=NewcomerFactory(manager=manager), ceremony=CeremonyFactory(), by=hr
    )

    response = manager_client.post(
        reverse("witness_answer", args=[appointment.pk]),
        {"answer": "decline", "substitute": "Piet\nBcc: x@example.org"},
    )

    assert _refused(response, "substitute")
    assert Appointment.objects.get().substitute_suggestion == ""


def test_a_dilemma_session_refuses_control_characters_in_its_facilitator_and_team(hr_client):
    data = {"date": "2026-02-01", "setting": "team", "participants": 14}

    response = hr_client.post(
        reverse("dilemma_session_create"), data | {"team_name": "Wegen\tNoord", "facilitator": "K\x08"}
    )

    assert _refused(response, "facilitator") and _refused(response, "team_name")
    assert not DilemmaSession.objects.exists()


def test_every_form_with_a_text_field_keeps_the_text_rules():
    from django import forms

    from core.text_rules import TextRulesMixin
    from tests.test_fuzz import project_form_classes

    def has_text(cls):
        fields = getattr(cls, "base_fields", {}).values()
        return any(isinstance(f, forms.CharField) and not isinstance(f.widget, forms.PasswordInput) for f in fields)

    without = [cls.__name__ for cls in project_form_classes() if has_text(cls) and not issubclass(cls, TextRulesMixin)]
    assert without == []
