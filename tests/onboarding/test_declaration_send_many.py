"""HR sends the declaration link to several externals at once from the overview, after a confirmation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from onboarding.declarations.services import declaration_sign
from onboarding.enums import Kind
from onboarding.models import AuditEntry, DeclarationRequest
from tests.factories import NewcomerFactory
from tests.onboarding.declaration_support import send_link

pytestmark = pytest.mark.django_db

SEND_MANY = reverse("declaration_send_many")


def _external(name):
    return NewcomerFactory(kind=Kind.EXTERNAL, given_names=name, surname="Extern", email=f"{name}@example.org")


@pytest.fixture
def externals(mailbox):
    """Two without a link, one expired, one with a valid link, one signed."""
    people = {name: _external(name) for name in ("Anna", "Bram", "Cas", "Dirk", "Eva")}
    send_link(people["Cas"], mailbox=mailbox, now=timezone.now() - datetime.timedelta(days=31))
    send_link(people["Dirk"], mailbox=mailbox)
    token = send_link(people["Eva"], mailbox=mailbox)
    declaration_sign(raw_token=token, typed_name="Eva Extern", confirmed=True, ip=None, user_agent="test")
    mailbox().clear()
    return people


def _recipients(mailbox):
    return sorted(message.to[0] for message in mailbox())


def test_only_externals_who_need_a_link_get_a_checkbox_and_the_button_counts_them(hr_client, externals):
    page = hr_client.get(reverse("declaration_list")).content.decode()

    ticked = {name for name, person in externals.items() if f'name="newcomer" value="{person.pk}"' in page}
    assert ticked == {"Anna", "Bram", "Cas"}
    assert "Link versturen naar geselecteerden" in page
    assert "alle 3 externen zonder geldige link in dit filter" in page


def test_the_confirmation_names_how_many_and_sends_nothing_yet(hr_client, externals, mailbox):
    chosen = [externals[name].pk for name in ("Anna", "Cas", "Dirk")]

    page = hr_client.post(SEND_MANY, {"newcomer": chosen, "scope": "selected"}).content.decode()

    assert "De link voor de verklaring aan 2 externen versturen?" in page
    assert "Anna Extern" in page and "Cas Extern" in page and "Dirk Extern" not in page
    assert "1 aangevinkte externe valt af" in page
    assert mailbox() == [] and not DeclarationRequest.objects.filter(newcomer__given_names="Anna").exists()


def test_confirming_sends_each_a_link_once_and_says_how_many(hr_client, externals, mailbox):
    chosen = [externals[name].pk for name in ("Anna", "Bram", "Cas")]

    response = hr_client.post(SEND_MANY, {"newcomer": chosen, "confirmed": "on"}, follow=True)

    assert _recipients(mailbox) == ["Anna@example.org", "Bram@example.org", "Cas@example.org"]
    assert "3 links verstuurd." in response.content.decode()
    assert AuditEntry.objects.filter(action__in=["declaration.send", "declaration.resend"]).count() == 6


def test_a_second_submit_sends_nothing_twice_within_the_window(hr_client, externals, mailbox):
    data = {"newcomer": [externals["Anna"].pk, externals["Bram"].pk], "confirmed": "on"}
    hr_client.post(SEND_MANY, data)
    mailbox().clear()

    response = hr_client.post(SEND_MANY, data, follow=True)

    assert mailbox() == []
    text = response.content.decode()
    assert "0 links verstuurd. 2 mislukt:" in text and "nog geldig tot" in text
    assert DeclarationRequest.objects.filter(newcomer=externals["Anna"]).count() == 1


def test_the_signed_and_those_with_a_valid_link_are_reported_and_the_others_still_sent(hr_client, externals, mailbox):
    chosen = [externals[name].pk for name in ("Anna", "Dirk", "Eva")]

    response = hr_client.post(SEND_MANY, {"newcomer": chosen, "confirmed": "on"}, follow=True)

    assert _recipients(mailbox) == ["Anna@example.org"]
    text = response.content.decode()
    assert "1 link verstuurd. 2 mislukt:" in text
    assert "Eva Extern heeft de verklaring al ondertekend." in text
    assert DeclarationRequest.objects.filter(newcomer=externals["Dirk"]).count() == 1


def test_all_in_the_filter_takes_everyone_it_finds_across_pages(hr_client, externals, mailbox):
    more = [_external(f"Nieuw{number:02d}") for number in range(30)]

    page = hr_client.post(SEND_MANY, {"scope": "filter", "q": "Nieuw"}).content.decode()

    assert "De link voor de verklaring aan 30 externen versturen?" in page
    assert all(f'name="newcomer" value="{person.pk}"' in page for person in more)
    assert f'value="{externals["Anna"].pk}"' not in page
    assert mailbox() == []


def test_an_employee_in_the_batch_is_refused_alone(hr_client, externals, mailbox):
    employee = NewcomerFactory(kind=Kind.EMPLOYEE)

    response = hr_client.post(
        SEND_MANY, {"newcomer": [externals["Anna"].pk, employee.pk], "confirmed": "on"}, follow=True
    )

    assert _recipients(mailbox) == ["Anna@example.org"]
    assert "Alleen externen ondertekenen de integriteitsverklaring." in response.content.decode()


def test_only_hr_sends_and_only_by_post(hr_client, manager_client, externals, mailbox):
    data = {"newcomer": [externals["Anna"].pk], "confirmed": "on"}
    assert manager_client.post(SEND_MANY, data).status_code == 403
    assert hr_client.get(SEND_MANY).status_code == 405
    assert mailbox() == []
