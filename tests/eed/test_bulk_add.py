"""HR adds several newcomers to a ceremony at once, from its page (issue #15 item 1).

The page lists who fits (the one rule of eed.ceremonies.placement), nearest deadline first, with a
checkbox each, a search that needs no JavaScript and a cap on the rows shown. One submit places every
ticked newcomer in one transaction, or none, naming who cannot be placed and why.
"""

import re

import pytest
from django.urls import reverse

from eed.ceremonies import services
from eed.enums import Outcome
from eed.models import Appointment
from onboarding.enums import AppointingBody, Kind
from onboarding.models import AuditEntry
from tests.eed.ceremony_day import assign, ceremony_on, newcomer, record, taken
from tests.eed.test_ceremonies import _invites
from tests.factories import NewcomerFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page as plain text, white space made single (none before punctuation)."""
    return re.sub(r" ([:.,;])", r"\1", " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()))


def listed(response) -> list[int]:
    """The newcomers the add list offers, in its order."""
    return [row.pk for row in response.context["candidates"].rows]


def ticked(response) -> set[int]:
    return {
        int(pk) for pk in re.findall(r'name="newcomer" value="(\d+)" id="add-\d+" checked', response.content.decode())
    }


def current_ceremony(person) -> int | None:
    return person.appointments.filter(ended_at__isnull=True).values_list("ceremony_id", flat=True).first()


@pytest.fixture
def ceremony(db):
    """In 14 days, the provincial secretary (civil service only), 4 places."""
    return ceremony_on(14, capacity=4, place="Zaal 1")


@pytest.fixture
def people(manager, other_manager):
    """Three who fit, deadlines far to near: Visser (started today), Bakker (20 days ago), Aksoy (40 days ago)."""
    return [
        newcomer(manager, given_names="Sem", surname="Visser", started_days_ago=0),
        newcomer(other_manager, given_names="Lotte", surname="Bakker", started_days_ago=20),
        newcomer(manager, given_names="Ayşe", surname="Aksoy", started_days_ago=40),
    ]


def add(client, ceremony, people, **fields):
    return client.post(reverse("appointment_add", args=[ceremony.pk]), {"newcomer": [p.pk for p in people], **fields})


# --- the list ------------------------------------------------------------------------------------------


def test_the_page_lists_who_fits_nearest_deadline_first_with_a_checkbox_each(hr, hr_client, ceremony, people, manager):
    sworn = newcomer(manager, surname="Gezworen")
    record(held := ceremony_on(-1, officiant=ceremony.officiant), hr, [taken(assign(held, sworn, hr, form="oath"))])
    already = newcomer(None, surname="Alerin")
    assign(ceremony, already, hr)
    NewcomerFactory(kind=Kind.EXTERNAL, surname="Extern")
    NewcomerFactory(kind=Kind.GRIFFIE, appointing_body=AppointingBody.GRIFFIE, surname="Griffie")
    newcomer(None, surname="Later", started_days_ago=-30)  # starts after the ceremony

    page = hr_client.get(reverse("ceremony_detail", args=[ceremony.pk]))

    assert listed(page) == [people[2].pk, people[1].pk, people[0].pk]
    html = page.content.decode()
    for person in people:
        assert f'name="newcomer" value="{person.pk}" id="add-{person.pk}"' in html
        assert f'<label for="add-{person.pk}">{person.sort_name}</label>' in html
    assert "3 plaatsen vrij" in text(page)


def test_the_list_says_where_someone_is_planned_now_and_who_would_be_late(hr, hr_client, ceremony, manager):
    elsewhere = newcomer(manager, surname="Elders")
    assign(ceremony_on(30, officiant=ceremony.officiant), elsewhere, hr)
    overdue = newcomer(manager, surname="Telaat", started_days_ago=80)

    page = hr_client.get(reverse("ceremony_detail", args=[ceremony.pk]))

    rows = {row.pk: row for row in page.context["candidates"].rows}
    assert rows[overdue.pk].late and not rows[elsewhere.pk].late
    assert rows[elsewhere.pk].planned_at is not None and rows[overdue.pk].planned_at is None
    assert "te laat" in text(page)


def test_a_search_without_javascript_narrows_the_list(hr_client, ceremony, people):
    url = reverse("ceremony_detail", args=[ceremony.pk])

    by_name = hr_client.get(url, {"q": "bakker"})
    by_number = hr_client.get(url, {"q": people[0].personnel_number})
    nobody = hr_client.get(url, {"q": "Zzyzx"})

    assert listed(by_name) == [people[1].pk]
    assert listed(by_number) == [people[0].pk]
    assert listed(nobody) == [] and "Geen nieuwkomer die in deze beëdiging past, komt overeen met" in text(nobody)
    form = by_name.content.decode()
    assert re.search(r'<form method="get" action="[^"]*" role="search"', form)
    assert 'name="q" value="bakker"' in form


def test_thousands_who_fit_are_never_all_rendered_the_page_says_how_many_more(hr_client, ceremony):
    NewcomerFactory.create_batch(130)

    page = hr_client.get(reverse("ceremony_detail", args=[ceremony.pk]))

    assert page.content.decode().count('name="newcomer"') == 50
    assert "Nog 80 nieuwkomers passen en staan er niet bij" in text(page)


# --- adding ------------------------------------------------------------------------------------------


def test_one_submit_adds_every_ticked_newcomer_and_asks_each_manager(hr_client, ceremony, people, mailbox):
    response = add(hr_client, ceremony, people, witness="", late_reason="")

    assert response.status_code == 302
    assert {current_ceremony(person) for person in people} == {ceremony.pk}
    page = hr_client.get(response["Location"])
    assert "3 nieuwkomers zijn toegevoegd." in text(page)
    requests = [m.to[0] for m in mailbox() if "getuige" in m.subject]
    assert sorted(requests) == ["manager@example.org", "manager@example.org", "other.manager@example.org"]
    invites = [to for to, method, _seq, _uid in _invites(mailbox()) if method == "REQUEST"]
    assert sorted(invites) == sorted([*(p.email for p in people), ceremony.officiant.email])  # each once
    assert AuditEntry.objects.filter(action="appointment.assign").count() == 3


def test_one_newcomer_is_the_same_form_with_one_tick(hr_client, ceremony, people):
    response = add(hr_client, ceremony, people[:1])

    assert response.status_code == 302
    assert current_ceremony(people[0]) == ceremony.pk
    assert "Sem Visser is toegevoegd." in text(hr_client.get(response["Location"]))


def test_nothing_is_added_when_one_cannot_be_placed_and_the_page_names_who_and_why(hr_client, ceremony, people):
    external = NewcomerFactory(kind=Kind.EXTERNAL, given_names="Eva", surname="Extern")
    late = newcomer(None, given_names="Tom", surname="Telaat", started_days_ago=80)

    response = add(hr_client, ceremony, [*people, external, late][1:])

    assert response.status_code == 200
    assert Appointment.objects.count() == 0
    page = text(response)
    assert "Niemand is toegevoegd" in page
    assert "Eva Extern: Externen ondertekenen de integriteitsverklaring" in page
    assert f"Deze beëdiging ligt na de uiterste datum van Tom Telaat ({late.deadline:%d-%m-%Y})" in page
    assert response.context["assign_form"].errors["late_reason"]  # pointed at the field that fixes it
    assert "Lotte Bakker:" not in page
    assert ticked(response) == {people[1].pk, people[2].pk, late.pk}  # the ticks stay, to put right and send again


def test_several_late_without_a_reason_are_named_together_at_the_reason(hr_client, ceremony, people):
    late = [newcomer(None, surname="Laat", started_days_ago=80), newcomer(None, surname="Later", started_days_ago=90)]

    response = add(hr_client, ceremony, [people[0], *late])

    assert response.status_code == 200 and not Appointment.objects.exists()
    (error,) = response.context["assign_form"].errors["late_reason"]
    assert late[0].full_name in error and late[1].full_name in error and "Vul één reden voor hen allemaal in" in error
    assert people[0].full_name not in error


def test_one_reason_covers_every_late_newcomer_of_the_batch(hr_client, ceremony, people):
    late = [newcomer(None, surname="Laat", started_days_ago=80), newcomer(None, surname="Later", started_days_ago=90)]

    response = add(hr_client, ceremony, [people[0], *late], late_reason="Lang ziek geweest")

    assert response.status_code == 302
    reasons = dict(Appointment.objects.values_list("newcomer_id", "late_reason"))
    assert reasons == {people[0].pk: "", late[0].pk: "Lang ziek geweest", late[1].pk: "Lang ziek geweest"}


def test_a_batch_larger_than_the_free_places_adds_nobody(hr, hr_client, ceremony, people):
    assign(ceremony, newcomer(None, surname="Eerder"), hr)
    assign(ceremony, newcomer(None, surname="Ook"), hr)

    response = add(hr_client, ceremony, people)

    assert response.status_code == 200
    assert Appointment.objects.filter(newcomer__in=people).count() == 0
    assert "Er zijn maar 2 plaatsen vrij in deze beëdiging; u hebt 3 nieuwkomers aangevinkt." in text(response)


def test_a_full_ceremony_offers_no_list(hr, hr_client, people):
    full = ceremony_on(14, capacity=1)
    assign(full, people[0], hr)

    page = hr_client.get(reverse("ceremony_detail", args=[full.pk]))

    assert 'name="newcomer"' not in page.content.decode()
    assert "Deze beëdiging is vol" in text(page)


def test_ticking_nobody_says_so(hr_client, ceremony, people):
    response = hr_client.post(reverse("appointment_add", args=[ceremony.pk]), {"q": "bak"})

    assert response.status_code == 200
    assert "Vink de nieuwkomers aan die u wilt toevoegen." in text(response)
    assert listed(response) == [people[1].pk]  # the search it showed


def test_a_witness_named_for_the_batch_is_asked_for_everyone(hr_client, ceremony, people, other_manager, mailbox):
    response = add(hr_client, ceremony, people, witness="other.manager@example.org")

    assert response.status_code == 302
    assert set(Appointment.objects.values_list("witness", flat=True)) == {other_manager.pk}


# --- moving from another ceremony ----------------------------------------------------------------------


def hidden_fields(response) -> list[tuple[str, str]]:
    return re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', response.content.decode())


def test_moving_some_of_the_batch_is_confirmed_first_then_all_go_at_once(hr, hr_client, ceremony, people, mailbox):
    first = ceremony_on(20, officiant=ceremony.officiant, place="Zaal 9")
    planned = assign(first, people[1], hr)
    services.witness_answer(appointment=planned, by=planned.witness, confirm=True)
    mailbox().clear()

    asked = add(hr_client, ceremony, people)

    assert asked.status_code == 200
    assert Appointment.objects.filter(ceremony=ceremony).count() == 0
    assert current_ceremony(people[1]) == first.pk
    assert mailbox() == []
    page = text(asked)
    assert "Lotte Bakker is al ingepland in een andere beëdiging" in page and "Zaal 9" in page
    assert "Sem Visser" in page and "Ayşe Aksoy" in page  # added along, as planned nowhere else
    data = hidden_fields(asked)
    assert ("confirmed", f"{people[1].pk}:{planned.pk}") in data
    assert sorted(int(value) for name, value in data if name == "newcomer") == sorted(p.pk for p in people)

    moved = hr_client.post(reverse("appointment_add", args=[ceremony.pk]), _as_post(data))

    assert moved.status_code == 302
    assert {current_ceremony(person) for person in people} == {ceremony.pk}
    assert Appointment.objects.get(pk=planned.pk).ended_at is not None
    invites = {(to, method) for to, method, _seq, _uid in _invites(mailbox())}
    assert {(people[1].email, "CANCEL"), ("other.manager@example.org", "CANCEL")} <= invites


def test_a_stale_move_confirmation_in_a_batch_is_asked_again_and_moves_nobody(hr, hr_client, ceremony, people):
    first = ceremony_on(20, officiant=ceremony.officiant)
    assign(first, people[1], hr)
    data = hidden_fields(add(hr_client, ceremony, people))
    third = ceremony_on(25, officiant=ceremony.officiant, place="Zaal 3")
    assign(third, people[1], hr)  # someone else moved her meanwhile

    again = hr_client.post(reverse("appointment_add", args=[ceremony.pk]), _as_post(data))

    assert again.status_code == 200
    assert Appointment.objects.filter(ceremony=ceremony).count() == 0
    assert "Zaal 3" in text(again) and "gewijzigd nadat u bevestigde" in text(again)


def _as_post(pairs) -> dict:
    data: dict = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


def test_the_batch_is_refused_for_a_ceremony_that_was_held_meanwhile(hr, hr_client, people):
    held = ceremony_on(-1)
    record(held, hr, [])

    response = add(hr_client, held, people)

    assert response.status_code == 302
    assert Appointment.objects.count() == 0


def test_someone_sworn_meanwhile_is_named_not_added(hr, hr_client, ceremony, people):
    elsewhere = ceremony_on(-2, officiant=ceremony.officiant)
    record(elsewhere, hr, [taken(assign(elsewhere, people[1], hr, form="oath"))])

    response = add(hr_client, ceremony, people)

    assert response.status_code == 200
    assert Appointment.objects.filter(ceremony=ceremony).count() == 0
    assert "Lotte Bakker: Deze nieuwkomer heeft de eed of belofte al afgelegd." in text(response)
    assert people[1].appointments.get().outcome == Outcome.TAKEN
