"""The dashboard leads with what its user can act on.

A manager: the witness requests waiting for their answer (how many, each a link to where they answer), then their
newcomers who need them (overdue or due soon with no ceremony, externals at work without a signed declaration).
An officiant: their next ceremonies (date, time, place, participants). Someone without a role: who gives roles.
Every variant costs the same number of queries for one row as for many.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eed.ceremonies import services
from eed.enums import CeremonyState
from onboarding.enums import Kind
from tests.eed.ceremony_day import ceremony_on, newcomer
from tests.factories import NewcomerFactory, OfficiantFactory
from tests.html import links_in, table_rows, text_in

pytestmark = pytest.mark.django_db


def dashboard(client) -> str:
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def ask_witness(hr, witness, count: int, *, days: int = 14):
    """``count`` newcomers of ``witness`` in one ceremony, each with ``witness`` asked to witness."""
    ceremony = ceremony_on(days)
    return [
        services.appointment_assign(newcomer=newcomer(witness), ceremony=ceremony, by=hr, witness=witness)[0]
        for _ in range(count)
    ]


def headings(html: str) -> list[str]:
    import re

    return [" ".join(re.sub(r"<[^>]+>", "", h).split()) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)]


def test_a_manager_sees_first_how_many_witness_requests_wait_and_where_to_answer(hr, manager, manager_client):
    waiting = ask_witness(hr, manager, 3)
    answered = ask_witness(hr, manager, 1, days=20)[0]
    services.witness_answer(appointment=answered, by=manager, confirm=True)

    html = dashboard(manager_client)

    assert headings(html)[0] == "3 getuigeverzoeken wachten op uw antwoord"
    answer_links = {link.href for link in links_in(html) if "/witness-requests/" in link.href}
    assert answer_links == {reverse("witness_answer", args=[appointment.pk]) for appointment in waiting}
    for appointment in waiting:
        assert f"Antwoorden voor {appointment.newcomer.full_name}" in text_in(html)
    assert reverse("witness_answer", args=[answered.pk]) not in html
    follow = manager_client.get(reverse("witness_answer", args=[waiting[0].pk]))
    assert follow.status_code == 200 and 'name="answer"' in follow.content.decode()


def test_answering_a_request_takes_it_off_the_dashboard(hr, manager, manager_client):
    first, second = ask_witness(hr, manager, 2)

    manager_client.post(reverse("witness_answer", args=[first.pk]), {"answer": "confirm"})
    html = dashboard(manager_client)

    assert headings(html)[0] == "1 getuigeverzoek wacht op uw antwoord"
    assert reverse("witness_answer", args=[second.pk]) in html
    assert reverse("witness_answer", args=[first.pk]) not in html


def test_past_the_first_five_requests_a_link_leads_to_all_of_them(hr, manager, manager_client):
    ask_witness(hr, manager, 7)

    html = dashboard(manager_client)

    assert headings(html)[0] == "7 getuigeverzoeken wachten op uw antwoord"
    assert sum("/witness-requests/" in link.href and link.href.count("/") == 3 for link in links_in(html)) == 5
    all_link = [link for link in links_in(html) if link.href == reverse("witness_requests")]
    assert [link.text for link in all_link] == ["Alle 7 getuigeverzoeken bekijken"]


def test_a_manager_without_requests_is_told_so(manager_client):
    html = dashboard(manager_client)

    assert headings(html)[0] == "Er wacht geen getuigeverzoek op uw antwoord"


def test_a_manager_sees_their_newcomers_who_need_them_and_no_others(hr, manager, other_manager, manager_client):
    overdue = newcomer(manager, started_days_ago=90, surname="Achter")
    due_soon = newcomer(manager, started_days_ago=55, surname="Binnenkort")
    today = timezone.localdate()
    unsigned = NewcomerFactory(
        kind=Kind.EXTERNAL, manager=manager, surname="Extern", start_date=today - datetime.timedelta(days=10)
    )
    planned = newcomer(manager, started_days_ago=55, surname="Vlieger")
    services.appointment_assign(newcomer=planned, ceremony=ceremony_on(3), by=hr, witness=manager)
    newcomer(manager, started_days_ago=5, surname="Ruimschoots")  # deadline far away
    newcomer(other_manager, started_days_ago=90, surname="Anderman")

    html = dashboard(manager_client)

    assert "Voor 3 nieuwkomers is actie van u nodig" in headings(html)
    section = html.split('id="needing-action-heading"', 1)[1].split("</section>", 1)[0]
    assert {link.href for link in links_in(section, "ul")} == {
        reverse("newcomer_detail", args=[person.pk]) for person in (overdue, due_soon, unsigned)
    }
    text = text_in(section, "ul")
    assert "is verstreken zonder eed of belofte: spreek met HR een datum voor de beëdiging af" in text
    assert "Nog geen beëdiging, uiterste datum" in text
    assert "zonder ondertekende integriteitsverklaring: vraag om die te ondertekenen" in text
    for other in ("Vlieger", "Ruimschoots", "Anderman"):
        assert other not in text


def test_hr_keeps_the_counts_and_sees_witness_requests_only_when_asked(hr, hr_client, manager):
    html = dashboard(hr_client)
    assert headings(html)[0] == "Eed of belofte in één oogopslag"
    assert "getuigeverzoek" not in " ".join(headings(html))

    ask_witness(hr, hr, 1)
    assert headings(dashboard(hr_client))[0] == "1 getuigeverzoek wacht op uw antwoord"


def test_an_officiant_sees_their_next_ceremonies_with_time_place_and_participants(
    hr, manager, officiant, officiant_client
):
    OfficiantFactory(user=officiant)
    soon = ceremony_on(3, officiant=officiant, place="Provinciehuis, zaal 1")
    later = ceremony_on(10, officiant=officiant, place="Provinciehuis, zaal 2")
    for _ in range(2):
        services.appointment_assign(newcomer=newcomer(manager), ceremony=soon, by=hr)
    past = ceremony_on(-1, officiant=officiant, place="Vorige week")
    cancelled = ceremony_on(5, officiant=officiant, place="Afgelast", state=CeremonyState.CANCELLED)
    someone_else = ceremony_on(4, place="Bij een ander")

    html = dashboard(officiant_client)

    assert headings(html)[0] == "Uw volgende beëdigingen"
    rows = table_rows(html)
    assert [row[1:] for row in rows] == [
        ["10:00\u201311:00", "Provinciehuis, zaal 1", "2"],
        ["10:00\u201311:00", "Provinciehuis, zaal 2", "0"],
    ]
    day = timezone.localtime(soon.starts_at)
    assert f"{day.day} " in rows[0][0] and str(day.year) in rows[0][0]
    hrefs = {link.href for link in links_in(html)}
    assert {reverse("ceremony_detail", args=[soon.pk]), reverse("ceremony_detail", args=[later.pk])} <= hrefs
    for hidden in (past, cancelled, someone_else):
        assert reverse("ceremony_detail", args=[hidden.pk]) not in hrefs
    assert officiant_client.get(reverse("ceremony_detail", args=[soon.pk])).status_code == 200


def test_someone_without_a_role_is_told_who_gives_roles_not_sent_to_a_forbidden_page(outsider_client):
    html = dashboard(outsider_client)

    assert "Uw account heeft nog geen rol" in text_in(html)
    assert "mailto:" in " ".join(link.href for link in links_in(html))
    assert reverse("ceremony_list") not in html


def count_queries(client) -> int:
    client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as queries:
        dashboard(client)
    return len(queries)


def test_the_managers_dashboard_costs_the_same_queries_for_one_row_as_for_many(hr, manager, manager_client):
    ask_witness(hr, manager, 1)
    newcomer(manager, started_days_ago=90)
    few = count_queries(manager_client)

    ask_witness(hr, manager, 9, days=15)
    for _ in range(9):
        newcomer(manager, started_days_ago=90)
    many = count_queries(manager_client)

    assert few == many <= 12


def test_the_officiants_dashboard_costs_the_same_queries_for_one_ceremony_as_for_many(
    hr, manager, officiant, officiant_client
):
    OfficiantFactory(user=officiant)
    services.appointment_assign(newcomer=newcomer(manager), ceremony=ceremony_on(3, officiant=officiant), by=hr)
    few = count_queries(officiant_client)

    for days in range(4, 12):
        ceremony = ceremony_on(days, officiant=officiant)
        services.appointment_assign(newcomer=newcomer(manager), ceremony=ceremony, by=hr)
    many = count_queries(officiant_client)

    assert few == many <= 10
