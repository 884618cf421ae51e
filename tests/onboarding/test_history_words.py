"""A newcomer's history reads as words: labels, choices, names, ceremonies and Dutch dates, no keys or ids."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from eed.ceremonies import services as ceremonies
from onboarding.audit.trail import audit_record
from onboarding.enums import Kind
from onboarding.imports.services import newcomers_import_file
from onboarding.models import Newcomer
from onboarding.newcomers import services
from tests.factories import CeremonyFactory, NewcomerFactory, OfficiantFactory
from tests.onboarding.test_import import csv_bytes, row

pytestmark = pytest.mark.django_db

ISO_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")


def _at(day: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2027, 1, day, hour, 0))


def _history(client, newcomer) -> str:
    html = client.get(reverse("newcomer_detail", args=[newcomer.pk])).content.decode()
    return html[html.index('id="history-title"') :]


def _planned(hr, manager, other_manager, *, moves: int = 1) -> Newcomer:
    """Registered by hand, a manager changed, the kind changed, placed in a ceremony and moved ``moves`` times."""
    newcomer = services.newcomer_create(
        by=hr,
        given_names="Jan",
        surname_prefix="van der",
        surname="Berg",
        email="jan@example.org",
        personnel_number="104233",
        start_date=datetime.date(2026, 12, 1),
        manager=manager,
    )
    services.newcomer_update(newcomer=newcomer, by=hr, manager=other_manager, kind=Kind.TRAINEE)
    officiant = OfficiantFactory(user__first_name="Pieter", user__last_name="Smit").user
    for move in range(moves + 1):
        ceremony = CeremonyFactory(
            officiant=officiant, starts_at=_at(12 + move), ends_at=_at(12 + move, 11), place="Provinciehuis"
        )
        ceremonies.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)
    return newcomer


def test_the_history_names_fields_choices_people_and_ceremonies(hr_client, hr, manager, other_manager):
    newcomer = _planned(hr, manager, other_manager)

    html = _history(hr_client, newcomer)

    with translation.override("nl"):
        employee, trainee = str(Kind.EMPLOYEE.label), str(Kind.TRAINEE.label)
    assert "Leidinggevende: Mehmet Yilmaz → Olga Bakker" in html
    assert f"Soort: {employee} → {trainee}" in html
    assert "Datum in dienst: 01-12-2026" in html
    assert "Beëdiging: di 12 jan. 2027 10:00, Provinciehuis" in html
    assert "Beëdiging: wo 13 jan. 2027 10:00, Provinciehuis" in html
    assert "Verplaatst van: di 12 jan. 2027 10:00, Provinciehuis" in html
    for internal in ("manager:", "kind:", "newcomer:", "ceremony:", "moved_from", "start_date", "trainee"):
        assert internal not in html
    assert not ISO_MOMENT.search(re.sub(r'datetime="[^"]*"', "", html)), "an ISO time outside a time element"


def test_the_history_shows_its_times_in_the_table_format_and_local_time(hr_client, hr):
    newcomer = NewcomerFactory()
    services.newcomer_update(newcomer=newcomer, by=hr, notes="bel eerst")

    html = _history(hr_client, newcomer)

    local = timezone.localtime()
    assert f">{local:%d-%m-%Y} " in html  # "04-12-2026 20:15", in Dutch time


def test_who_did_it_through_which_way_reads_as_a_phrase(hr_client, hr):
    newcomer = NewcomerFactory()
    audit_record(actor=hr, action="newcomer.update", target=newcomer, changes={}, via="import:12")
    audit_record(actor=hr, action="newcomer.update", target=newcomer, changes={}, via="admin")
    audit_record(actor=None, action="newcomer.update", target=newcomer, changes={}, via="link:newcomer")
    services.newcomer_update(newcomer=newcomer, by=None, notes="bel eerst")

    html = _history(hr_client, newcomer)

    assert "Hanna de Ruiter, via een import<" in html
    assert "Hanna de Ruiter, via het beheer<" in html
    assert "De nieuwkomer, via de persoonlijke link<" in html
    assert "Het systeem<" in html
    assert "(een import)" not in html


def test_an_import_from_the_command_line_says_so(hr_client, hr):
    content = csv_bytes([row("P7", start="01-03-2027")])
    newcomers_import_file(content=content, filename="nieuw.csv", by=hr)

    html = _history(hr_client, Newcomer.objects.get(personnel_number="P7"))

    assert "Hanna de Ruiter, via een import op de opdrachtregel<" in html


def test_the_history_costs_the_same_queries_however_many_people_and_ceremonies_it_names(
    hr_client, hr, manager, other_manager
):
    short = _planned(hr, manager, other_manager, moves=1)
    Newcomer.objects.filter(pk=short.pk).update(personnel_number="P-short")
    long = _planned(hr, other_manager, manager, moves=6)

    def queries(newcomer) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert hr_client.get(reverse("newcomer_detail", args=[newcomer.pk])).status_code == 200
        return len(captured)

    assert queries(long) == queries(short)
