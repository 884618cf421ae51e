"""Ceremony pages cost the same number of queries however many take part."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eed.ceremonies import services
from eed.ceremonies.placement import placeable_newcomers
from tests.factories import CeremonyFactory, NewcomerFactory, UserFactory

pytestmark = pytest.mark.django_db
MAX_QUERIES = 12


def _fill(ceremony, count, hr):
    managers = UserFactory.create_batch(3, roles=["Manager"])
    for index, person in enumerate(NewcomerFactory.create_batch(count)):
        person.manager = managers[index % 3]
        person.save()
        services.appointment_assign(newcomer=person, ceremony=ceremony, by=hr)


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("page", "query"),
    [("ceremony_list", ""), ("ceremony_list", "?when=all"), ("ceremony_list", "?when=past"), ("ceremony_detail", "")],
)
def test_queries_do_not_grow_with_participants(hr_client, hr, page, query):
    small = CeremonyFactory(capacity=100)
    _fill(small, 2, hr)
    NewcomerFactory()  # someone to add: the page lists who fits, with the witness picker
    url = (reverse(page) if page == "ceremony_list" else reverse(page, args=[small.pk])) + query
    few = _queries(hr_client, url)

    _fill(small, 25, hr)
    for _ in range(5):
        _fill(CeremonyFactory(capacity=10), 2, hr)
    many = _queries(hr_client, url)

    assert few == many
    assert many <= MAX_QUERIES


def test_the_add_list_costs_the_same_however_many_fit_and_shows_at_most_fifty(hr_client, hr):
    ceremony = CeremonyFactory(capacity=100)
    _fill(ceremony, 2, hr)
    NewcomerFactory.create_batch(3, manager=UserFactory(roles=["Manager"]))
    url = reverse("ceremony_detail", args=[ceremony.pk])
    few = _queries(hr_client, url)

    NewcomerFactory.create_batch(120, manager=UserFactory(roles=["Manager"]))
    UserFactory.create_batch(40, roles=["Manager"])
    many = _queries(hr_client, url)
    candidates = hr_client.get(url).context["candidates"]

    assert few == many
    assert many <= MAX_QUERIES
    assert len(candidates.rows) == 50 and candidates.more == 73


def test_whether_a_candidate_is_in_the_ceremony_is_one_index_probe(hr):
    """The add list asks of every newcomer whether they are in this ceremony already: the index on
    (ceremony, newcomer) answers it directly, not a read of all the ceremony's appointments per newcomer."""
    ceremony = CeremonyFactory()
    services.appointment_assign(newcomer=NewcomerFactory(), ceremony=ceremony, by=hr)
    if connection.vendor == "postgresql":
        # PostgreSQL's planner picks among its indexes by table statistics (on a handful of rows any will do):
        # what holds on every size is that the index is there for it.
        with connection.cursor() as cursor:
            indexes = connection.introspection.get_constraints(cursor, "eed_appointment")
        assert indexes["appointment_ceremony_newcomer"]["columns"] == ["ceremony_id", "newcomer_id"]
    else:
        assert "appointment_ceremony_newcomer" in placeable_newcomers(ceremony).explain()
