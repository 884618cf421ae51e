"""The HR newcomer list: queries and server time with 10 and with 10,000 newcomers.

The first page in the default order (deadline) must cost the same number of
queries and about the same time however many newcomers exist: the status is
derived in the query, the page is a LIMIT, and the sort column is indexed.

The goal compares 10,000 with 10, so it also charges the cost of rendering a
full page (PAGE_SIZE rows) instead of 10 rows. The extra figure
``newcomer_list_time_ratio_full_page`` compares 10,000 with exactly one full
page, where only the number of newcomers differs: it tells the two apart.

    python -m benchmarks.newcomer_list
"""

import datetime
import random

from benchmarks._common import emit, median_of, setup_django, sign_in

SMALL = 10
LARGE = 10_000
MANAGERS = 40
RUNS = 15
WARM_UP = 3

GIVEN_NAMES = ["Jan", "Anna", "Mohamed", "Sanne", "Pieter", "Fatima", "Daan", "Emma", "Yusuf", "Lotte", "Kees", "Noor"]
PREFIXES = ["", "", "", "van", "de", "van der", "van den", "ter"]
SURNAMES = ["Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos", "Dijkstra", "Yilmaz", "El Amrani"]


def make_users():
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group

    from onboarding.models import User

    hr = User.objects.create(email="hr@bench.example.org", first_name="Hanna", last_name="de Ruiter")
    hr.groups.add(Group.objects.get(name="HR"))
    TOTP.activate(hr, generate_totp_secret())  # HR must have a second factor to use the pages
    managers = User.objects.bulk_create(
        User(email=f"manager{i}@bench.example.org", first_name="Manager", last_name=f"Nummer {i}")
        for i in range(MANAGERS)
    )
    Group.objects.get(name="Manager").user_set.add(*managers)
    return hr, managers


def add_newcomers(count, *, start, managers, rng):
    """Bulk-create newcomers numbered from ``start``: start dates over two years, mixed kinds and managers."""
    from onboarding.enums import AppointingBody, Kind
    from onboarding.models import Newcomer
    from onboarding.newcomers.deadlines import oath_deadline

    today = datetime.date.today()
    kinds = [Kind.EMPLOYEE] * 14 + [Kind.TRAINEE] * 2 + [Kind.GRIFFIE, Kind.EXTERNAL, Kind.EXTERNAL]
    newcomers = []
    for number in range(start, start + count):
        start_date = today + datetime.timedelta(days=rng.randint(-730, 90))
        kind = rng.choice(kinds)
        newcomers.append(
            Newcomer(
                given_names=rng.choice(GIVEN_NAMES),
                surname_prefix=rng.choice(PREFIXES),
                surname=rng.choice(SURNAMES),
                email=f"newcomer{number}@bench.example.org",
                personnel_number=f"B{number:07d}",
                start_date=start_date,
                deadline=oath_deadline(start_date),
                kind=kind,
                appointing_body=AppointingBody.GRIFFIE if kind == Kind.GRIFFIE else AppointingBody.CIVIL_SERVICE,
                manager=rng.choice([*managers, None]),
            )
        )
    Newcomer.objects.bulk_create(newcomers, batch_size=1000)


def measure(client, url):
    """(queries, median seconds) for one page, after warming up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def fetch():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")

    for _ in range(WARM_UP):
        fetch()
    with CaptureQueriesContext(connection) as queries:
        fetch()
    return len(queries), median_of(fetch, RUNS)


def main():
    setup_django()

    from django.test import Client
    from django.urls import reverse

    from onboarding.models import Newcomer
    from onboarding.newcomers.tables import PAGE_SIZE

    rng = random.Random(20220101)
    hr, managers = make_users()
    client = Client()
    sign_in(client, hr)
    url = reverse("newcomer_list")

    add_newcomers(SMALL, start=0, managers=managers, rng=rng)
    queries_small, time_small = measure(client, url)

    add_newcomers(PAGE_SIZE - SMALL, start=SMALL, managers=managers, rng=rng)
    _, time_page = measure(client, url)

    add_newcomers(LARGE - PAGE_SIZE, start=PAGE_SIZE, managers=managers, rng=rng)
    assert Newcomer.objects.count() == LARGE
    queries_large, time_large = measure(client, url)

    emit(f"newcomer_list_queries_{SMALL}", queries_small, "queries", "same, <= 10")
    emit(f"newcomer_list_queries_{LARGE}", queries_large, "queries", "same, <= 10")
    emit(f"newcomer_list_time_{SMALL}", time_small * 1000, "ms", None)
    emit(f"newcomer_list_time_{LARGE}", time_large * 1000, "ms", None)
    emit("newcomer_list_time_ratio", time_large / time_small, "ratio", "<= 1.5")
    emit(f"newcomer_list_time_{PAGE_SIZE}", time_page * 1000, "ms", None)
    emit("newcomer_list_time_ratio_full_page", time_large / time_page, "ratio", "<= 1.2")


if __name__ == "__main__":
    main()
