"""The newcomer list's pages past the middle are read from the end (core/paging.py, issue #19): every
page still holds the rows the forward query gives, in the same order, whatever the sort, and costs the
same queries as the first page."""

import datetime
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.clock import local_today
from eed.ceremonies import services
from onboarding.enums import Kind
from onboarding.newcomers.tables import PAGE_SIZE
from tests.downloads import csv_rows
from tests.factories import CeremonyFactory, NewcomerFactory, OfficiantFactory, UserFactory
from tests.html import table_rows

COUNT = 2 * PAGE_SIZE + 11  # three pages, the last one short
PAGES = 3
NUMBER = re.compile(r"P\d{6}")


@pytest.fixture
def newcomers(manager, hr):
    """Many ties (the same surname, start date, kind or manager), managers or none, every status."""
    today = local_today()
    other = UserFactory(roles=["Manager"], last_name="Aalders")
    owners = itertools.cycle([manager, None, other])
    kinds = itertools.cycle([Kind.EMPLOYEE, Kind.EXTERNAL, Kind.TRAINEE, Kind.EMPLOYEE])
    created = []
    for index in range(COUNT):
        created.append(
            NewcomerFactory(
                surname=("Jansen", "de Vries", "Bakker")[index % 3],
                given_names=("Anna", "Jan")[index % 2],
                kind=next(kinds),
                manager=next(owners),
                start_date=today - datetime.timedelta(days=(index % 5) * 40),
            )
        )
    ceremony = CeremonyFactory(officiant=OfficiantFactory().user, capacity=COUNT)
    for newcomer in created[::4]:
        if newcomer.kind != Kind.EXTERNAL:
            services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr, late_reason="Ziek")
    return created


def page_numbers(client, query: str, page: int) -> list[str]:
    response = client.get(f"{reverse('newcomer_list')}?{query}&page={page}")
    assert response.status_code == 200
    return [NUMBER.search(" ".join(row)).group() for row in table_rows(response.content.decode())]


@pytest.mark.parametrize(
    "query",
    ["", "sort=-deadline", "sort=status", "sort=-status", "sort=manager", "sort=-manager", "sort=name", "sort=kind"],
)
def test_every_page_holds_the_rows_of_the_forward_order(hr_client, newcomers, query):
    exported = [
        NUMBER.search(" ".join(row)).group()
        for row in csv_rows(hr_client.get(f"{reverse('newcomer_list')}?{query}&_export=csv"))[1:]
    ]
    pages = [page_numbers(hr_client, query, page) for page in range(1, PAGES + 1)]

    assert len(exported) == COUNT
    assert [len(rows) for rows in pages] == [PAGE_SIZE, PAGE_SIZE, COUNT - 2 * PAGE_SIZE]
    assert [number for rows in pages for number in rows] == exported


def test_the_last_page_costs_the_queries_of_the_first(hr_client, newcomers):
    page_numbers(hr_client, "", 1)  # warm: the session and the second factor
    counts = []
    for page in (1, PAGES):
        with CaptureQueriesContext(connection) as captured:
            page_numbers(hr_client, "", page)
        counts.append(len(captured))

    assert counts[0] == counts[1]
