"""The newcomer list costs the same number of queries for 3 newcomers as for 60.

Status is derived in the database and managers are joined, so neither the
page, nor a filter, nor an export may add a query per row (DESIGN.md).
"""

import datetime
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.clock import local_today
from onboarding.enums import Kind
from onboarding.models import ImportBatch
from onboarding.newcomers.tables import PAGE_SIZE
from tests.downloads import body
from tests.factories import NewcomerFactory, UserFactory

SMALL = 3
LARGE = 60
# The design's ceiling for a list page (benchmarks/newcomer_list.py checks the same).
MAX_QUERIES = 10

# (kind, days since the start date). The first three alone cover every status
# the filters ask for: to plan and due soon, overdue, declaration required.
PROFILES = (
    (Kind.EMPLOYEE, 55),
    (Kind.TRAINEE, 90),
    (Kind.EXTERNAL, 10),
    (Kind.GRIFFIE, 0),
    (Kind.EMPLOYEE, 150),
    (Kind.EMPLOYEE, 20),
    (Kind.TRAINEE, 59),
    (Kind.EXTERNAL, 61),
)


@pytest.fixture
def managers(manager, other_manager):
    """Four managers; `manager` (the one manager_client signs in as) comes first."""
    return [manager, other_manager, *UserFactory.create_batch(2, roles=["Manager"])]


def add_newcomers(count, owners):
    """Newcomers spread over the owners (None: no manager), kinds and start dates, every other one imported."""
    today = local_today()
    owner_cycle = itertools.cycle(owners)
    profile_cycle = itertools.cycle(PROFILES)
    batch = ImportBatch.objects.get_or_create(filename="export.csv", defaults={"applied_at": timezone.now()})[0]
    for index in range(count):
        kind, days = next(profile_cycle)
        NewcomerFactory(
            manager=next(owner_cycle),
            kind=kind,
            start_date=today - datetime.timedelta(days=days),
            last_import=batch if index % 2 else None,
        )


def count_queries(client, url):
    client.get(url)  # warm up: nothing cached on the first request may skew the count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        body(response)  # a streamed export queries while it is read
    assert response.status_code == 200
    return len(queries), response


def listed(response):
    """How many newcomers the response shows (page rows or export lines)."""
    content = body(response).decode("utf-8-sig")
    if response["Content-Type"].startswith("text/csv"):
        return len(content.strip().splitlines()) - 1  # minus the header
    return len(set(re.findall(r'href="/[^"]*newcomers/(\d+)/"', content)))


HR_QUERIES = [
    "",
    "?status=open",
    "?status=all",
    "?status=all&last_import={batch}",
    "?q=p10",
    "?q=P10&status=all",
    "?status=to_plan",
    "?status=overdue",
    "?status=declaration_required",
    "?kind=trainee",
    "?due_soon=on",
    "?manager={manager}",
    "?sort=manager",
    "?sort=-status",
    "?sort=name",
    "?_export=csv",
    "?status=overdue&_export=csv",
    "?_export=xlsx",
]
MANAGER_QUERIES = ["", "?status=all", "?status=to_plan", "?status=overdue", "?sort=-deadline", "?_export=csv"]


def assert_same_queries_when_larger(client, url, add_more, django_assert_num_queries):
    small, small_response = count_queries(client, url)
    assert small <= MAX_QUERIES, f"{small} queries for a short list"

    add_more()
    client.get(url)
    with django_assert_num_queries(small):
        large_response = client.get(url)
        body(large_response)
    assert large_response.status_code == 200
    if "xlsx" not in url:
        # The longer list really shows more rows, so the comparison means something.
        assert listed(large_response) > listed(small_response)


@pytest.mark.parametrize("query", HR_QUERIES)
def test_hr_newcomer_list_queries_do_not_grow_with_the_list(hr_client, managers, query, django_assert_num_queries):
    everyone = [*managers, None]
    add_newcomers(SMALL, everyone)
    url = reverse("newcomer_list") + query.format(manager=managers[0].pk, batch=ImportBatch.objects.get().pk)
    assert_same_queries_when_larger(
        hr_client, url, lambda: add_newcomers(LARGE - SMALL, everyone), django_assert_num_queries
    )


@pytest.mark.parametrize("query", MANAGER_QUERIES)
def test_manager_own_list_queries_do_not_grow_with_the_list(
    manager_client, manager, managers, query, django_assert_num_queries
):
    add_newcomers(SMALL, [manager])
    add_newcomers(SMALL, managers[1:])  # not theirs: must not show
    url = reverse("newcomer_list") + query
    assert_same_queries_when_larger(
        manager_client, url, lambda: add_newcomers(LARGE - 2 * SMALL, [*managers, None]), django_assert_num_queries
    )


def test_hr_page_shows_a_full_first_page_and_the_export_every_row(hr_client, managers):
    add_newcomers(LARGE, [*managers, None])
    page = hr_client.get(reverse("newcomer_list"))
    export = hr_client.get(reverse("newcomer_list") + "?_export=csv")
    assert listed(page) == min(LARGE, PAGE_SIZE)
    assert listed(export) == LARGE
