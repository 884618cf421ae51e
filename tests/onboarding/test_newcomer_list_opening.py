"""The newcomer list opens on what needs doing: who is still to be sworn in or to sign, nearest deadline first;
after an import, on the people that import created or changed."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from onboarding.declarations.services import declaration_request_send, declaration_sign
from onboarding.enums import Kind
from onboarding.imports.services import newcomers_import_file
from onboarding.models import ImportBatch, Newcomer
from tests.eed.ceremony_day import assign, ceremony_on, newcomer, record, taken
from tests.factories import NewcomerFactory
from tests.html_tree import parse, selected_option, table_rows
from tests.onboarding.test_import import csv_bytes, row
from tests.onboarding.test_import_views import uploaded_batch

pytestmark = pytest.mark.django_db


def listed_numbers(response) -> list[str]:
    """The personnel numbers in the list, in the order shown."""
    table = parse(response).find("table", class_="data-table")
    return [cells[1] for cells in table_rows(table) if len(cells) > 1]


def sworn_in(person, hr, *, late_reason=""):
    ceremony = ceremony_on(-1)
    appointment = assign(ceremony, person, hr, form="oath", late_reason=late_reason)
    record(ceremony, hr, [taken(appointment, witness_name="Mr. P. Getuige")])


def signed(person, mailbox):
    declaration_request_send(newcomer=person, by=None)
    token = mailbox()[-1].body.split("/d/")[1].split("/")[0]
    declaration_sign(raw_token=token, typed_name=person.full_name, confirmed=True, ip=None, user_agent="")


@pytest.fixture
def people(hr, manager, mailbox):
    """Sworn in (started January 2021), signed (an external of January 2021), and three still to do."""
    old = NewcomerFactory(personnel_number="SWORN", manager=manager, start_date=datetime.date(2021, 1, 4))
    sworn_in(old, hr, late_reason="lang ziek geweest")
    external = NewcomerFactory(personnel_number="SIGNED", kind=Kind.EXTERNAL, start_date=datetime.date(2021, 1, 4))
    signed(external, mailbox)
    newcomer(manager, personnel_number="LATER", started_days_ago=5)
    newcomer(manager, personnel_number="SOON", started_days_ago=50)
    newcomer(manager, personnel_number="OVERDUE", started_days_ago=75)


def test_the_list_opens_on_who_is_still_to_be_sworn_in_or_to_sign_nearest_deadline_first(hr_client, people):
    response = hr_client.get(reverse("newcomer_list"))

    assert listed_numbers(response) == ["OVERDUE", "SOON", "LATER"]
    status = parse(response).find("select", name="status")
    assert selected_option(status) == "open"
    assert {option.attrs["value"] for option in status.find_all("option")} >= {"open", "all", "sworn"}


def test_a_filter_shows_everyone_and_one_shows_the_sworn(hr_client, people):
    everyone = hr_client.get(reverse("newcomer_list"), {"status": "all"})
    sworn = hr_client.get(reverse("newcomer_list"), {"status": "sworn"})

    assert sorted(listed_numbers(everyone)) == ["LATER", "OVERDUE", "SIGNED", "SOON", "SWORN"]
    assert selected_option(parse(everyone).find("select", name="status")) == "all"
    assert listed_numbers(sworn) == ["SWORN"]


def test_an_old_link_with_an_empty_status_still_means_all(hr_client, people):
    response = hr_client.get(reverse("newcomer_list"), {"status": "", "kind": "external"})

    assert listed_numbers(response) == ["SIGNED"]
    assert selected_option(parse(response).find("select", name="status")) == "all"


def test_a_search_that_finds_only_the_sworn_offers_to_look_among_everyone(hr_client, people):
    response = hr_client.get(reverse("newcomer_list"), {"q": "SWORN"})

    assert listed_numbers(response) == []
    link = next(a for a in parse(response).find_all("a") if "status=all" in a.attrs.get("href", ""))
    assert "q=SWORN" in link.attrs["href"]
    assert listed_numbers(hr_client.get(reverse("newcomer_list") + link.attrs["href"])) == ["SWORN"]


def test_after_confirming_an_import_the_list_shows_the_people_it_created_or_changed(hr_client, hr, mailbox):
    earlier = uploaded_batch(hr_client, csv_bytes([row(number="P3", surname="Gelijk")]), name="earlier.csv")
    hr_client.post(reverse("import_confirm", args=[earlier.pk]))
    sworn_in(newcomer(personnel_number="P1", surname="Jansen"), hr)  # a sworn person it changes is shown too
    NewcomerFactory(personnel_number="P9", surname="Anders")  # not in the file
    rows = [row(number="P1", surname="Jansen-Smit"), row(number="P2"), row(number="P3", surname="Gelijk")]
    batch = uploaded_batch(hr_client, csv_bytes(rows))

    confirmed = hr_client.post(reverse("import_confirm", args=[batch.pk]), follow=True)

    assert sorted(listed_numbers(confirmed)) == ["P1", "P2"]  # P3 is in the file but unchanged
    choice = parse(confirmed).find("select", name="last_import")
    assert selected_option(choice) == str(batch.pk)
    assert "export.csv" in choice.find("option", value=str(batch.pk)).text
    assert Newcomer.objects.get(personnel_number="P3").last_import == earlier


def test_the_applied_preview_links_to_the_people_of_its_import(hr_client):
    batch = uploaded_batch(hr_client, csv_bytes([row(number="P1")]))
    hr_client.post(reverse("import_confirm", args=[batch.pk]))

    page = parse(hr_client.get(reverse("import_preview", args=[batch.pk])))

    hrefs = [a.attrs["href"] for a in page.find_all("a", class_="button")]
    assert f"{reverse('newcomer_list')}?last_import={batch.pk}&status=all" in hrefs


def test_an_import_from_the_command_line_marks_its_people_too(hr):
    newcomers_import_file(content=csv_bytes([row(number="P1"), row(number="P2")]), filename="cron.csv", by=hr)
    batch = ImportBatch.objects.get(filename="cron.csv")

    assert (batch.created_count, batch.updated_count) == (2, 0)
    assert Newcomer.objects.filter(last_import=batch).count() == 2


def test_a_manager_gets_no_import_filter(manager_client, manager):
    newcomer(manager, personnel_number="MINE")

    page = parse(manager_client.get(reverse("newcomer_list")))

    assert page.find("select", name="last_import") is None
    assert page.find("select", name="manager") is None
    assert page.find("select", name="status") is not None


def test_the_migration_fills_the_last_import_from_the_audit_trail(hr_client):
    first = uploaded_batch(hr_client, csv_bytes([row(number="P1"), row(number="P2")]))
    hr_client.post(reverse("import_confirm", args=[first.pk]))
    second = uploaded_batch(hr_client, csv_bytes([row(number="P2", surname="Visser")]), name="second.csv")
    hr_client.post(reverse("import_confirm", args=[second.pk]))
    Newcomer.objects.update(last_import=None)

    import_module("onboarding.migrations.0020_fill_last_import_from_audit").fill_from_audit(apps, None)

    assert dict(Newcomer.objects.values_list("personnel_number", "last_import")) == {"P1": first.pk, "P2": second.pk}
