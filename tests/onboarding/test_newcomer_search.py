"""HR finds a newcomer the way people type them: name parts in any order, the full name, without accents,
a part of the personnel number; the same on SQLite and PostgreSQL (the suite runs on both in CI)."""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from core.search import fold
from onboarding.enums import Kind
from onboarding.models import Newcomer
from tests.factories import NewcomerFactory
from tests.html_tree import parse, table_rows
from tests.onboarding.test_import import csv_bytes, row
from tests.onboarding.test_import_views import uploaded_batch
from tests.onboarding.test_newcomers import _form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    NewcomerFactory(given_names="Sophie", surname_prefix="van der", surname="Meer", personnel_number="ZH20001")
    NewcomerFactory(given_names="Mehmet", surname="Çelik", personnel_number="ZH20002")
    NewcomerFactory(given_names="Zoë", surname_prefix="van 't", surname="Hof-Özdemir", personnel_number="ZH30003")
    NewcomerFactory(given_names="Meeri", surname="Vandermolen", personnel_number="P40004")
    NewcomerFactory(given_names="Ærøskøbing", surname="Straße", personnel_number="dk-555")


def found(client, text: str, **params) -> list[str]:
    """The personnel numbers the newcomer list shows for this search."""
    response = client.get(reverse("newcomer_list"), {"q": text, **params})
    table = parse(response).find("table", class_="data-table")
    return sorted(cells[1] for cells in table_rows(table) if len(cells) > 1)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("van der Meer", ["ZH20001"]),
        ("Sophie van der Meer", ["ZH20001"]),
        ("Meer, Sophie van der", ["ZH20001"]),
        ("  sophie   MEER ", ["ZH20001"]),
        ("ZH2000", ["ZH20001", "ZH20002"]),
        ("zh2000", ["ZH20001", "ZH20002"]),
        ("20002", ["ZH20002"]),
        ("celik", ["ZH20002"]),
        ("ÇELIK", ["ZH20002"]),
        ("Mehmet Celik", ["ZH20002"]),
        ("zoe ozdemir", ["ZH30003"]),
        ("van 't Hof", ["ZH30003"]),
        ("Hof-Özdemir", ["ZH30003"]),
        ("strasse", ["dk-555"]),
        ("aeroskobing", ["dk-555"]),
        ("DK-555", ["dk-555"]),
        ("meer", ["P40004", "ZH20001"]),  # a word begins with it: Meer and Meeri, not Vandermolen's "der"
        ("der", ["ZH20001"]),
        ("molen", []),
        ("Sophie Jansen", []),
        ("100%", []),
    ],
)
def test_the_search_finds_names_as_people_type_them(hr_client, people, typed, expected):
    assert found(hr_client, typed) == expected


def test_the_declaration_list_searches_the_same_way(hr_client):
    NewcomerFactory(kind=Kind.EXTERNAL, given_names="Ayşe", surname="Çelik", personnel_number="EXT-77")
    NewcomerFactory(kind=Kind.EXTERNAL, given_names="Jan", surname="Jansen", personnel_number="EXT-78")

    page = hr_client.get(reverse("declaration_list"), {"q": "ayse celik"}).content.decode()

    assert "EXT-77" in page and "EXT-78" not in page


def test_a_changed_name_is_found_under_the_new_name_only(hr_client):
    person = NewcomerFactory(given_names="Jan", surname="Berg", personnel_number="104233")

    hr_client.post(reverse("newcomer_edit", args=[person.pk]), _form_data(surname="Şahin", surname_prefix=""))

    assert Newcomer.objects.get(pk=person.pk).surname == "Şahin"
    assert found(hr_client, "sahin") == ["104233"]
    assert found(hr_client, "berg") == []


def test_imported_people_are_found_without_accents_also_after_an_update(hr_client):
    first = uploaded_batch(hr_client, csv_bytes([row(number="P1", given="Zoë", surname="Öztürk")]))
    hr_client.post(reverse("import_confirm", args=[first.pk]))
    assert found(hr_client, "zoe ozturk") == ["P1"]

    second = uploaded_batch(hr_client, csv_bytes([row(number="P1", given="Zoë", surname="Çak\u0131r")]), name="b.csv")
    hr_client.post(reverse("import_confirm", args=[second.pk]))

    assert found(hr_client, "cakir") == ["P1"]
    assert found(hr_client, "ozturk") == []


def test_the_migration_fills_the_keys_of_people_stored_before(hr_client, people):
    Newcomer.objects.update(search_key="")
    assert found(hr_client, "celik") == []

    import_module("onboarding.migrations.0022_fill_newcomer_search_keys").fill_search_keys(apps, None)

    assert found(hr_client, "celik") == ["ZH20002"]
    assert found(hr_client, "van der meer") == ["ZH20001"]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Çelik", "celik"),
        ("Zoë van 't Hof-Özdemir", "zoe van t hof ozdemir"),
        ("Straße Ærø Łódź", "strasse aero lodz"),
        ("İpek I\u015f\u0131k", "ipek isik"),
        ("ﬁne  \u00a0 spaces", "fine spaces"),
        ("Пётр", "петр"),
    ],
)
def test_folding(text, folded):
    assert fold(text) == folded


@pytest.mark.postgresql
@pytest.mark.django_db
def test_on_postgresql_the_search_can_use_its_trigram_indexes(require_postgresql):
    """Part of a word or a personnel number is no B-tree prefix: the trigram indexes (migration 0025) serve it."""
    from django.db import connection

    from onboarding.models import Newcomer
    from onboarding.newcomers.search import search_q

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Newcomer.objects.filter(search_q("0042")).order_by().explain()

    assert "newcomer_personnel_number_trgm" in plan and "newcomer_search_key_trgm" in plan
