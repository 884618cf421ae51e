"""Ceremony list and detail pages: the same number of queries at 10 and 1,000 participants.

Participants are bulk-created appointments (the services would also queue
mail and invites, which is not what is measured here).

    python -m benchmarks.ceremony_list
"""

import datetime

from benchmarks._common import emit, setup_django, sign_in

SIZES = (10, 1000)
GOAL = "equal, <= 12"


def _setup():
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from eed.models import Ceremony, Officiant
    from onboarding.models import User

    hr = User.objects.create(email="hr@bench.example.org")
    hr.groups.add(Group.objects.get(name="HR"))
    TOTP.activate(hr, generate_totp_secret())  # HR must have a second factor to use the pages
    officiant = User.objects.create(email="secretaris@bench.example.org", first_name="Pieter", last_name="Smit")
    officiant.groups.add(Group.objects.get(name="Officiant"))
    Officiant.objects.create(user=officiant, function="provinciesecretaris", griffie=True)
    start = timezone.now() + datetime.timedelta(days=30)
    ceremony = Ceremony.objects.create(
        starts_at=start, ends_at=start + datetime.timedelta(hours=2), place="Zaal", officiant=officiant, capacity=2000
    )
    return hr, officiant, ceremony


def _add_participants(ceremony, count, offset):
    from core.tokens import token_new
    from eed.models import Appointment
    from onboarding.models import Newcomer, User
    from onboarding.newcomers.deadlines import oath_deadline

    managers = User.objects.bulk_create(
        User(email=f"m{offset + i}@bench.example.org") for i in range(max(1, count // 10))
    )
    today = datetime.date.today()
    newcomers = Newcomer.objects.bulk_create(
        Newcomer(
            given_names="Jan",
            surname=f"Jansen {offset + i}",
            email=f"n{offset + i}@bench.example.org",
            personnel_number=f"C{offset + i:07d}",
            start_date=today,
            deadline=oath_deadline(today),
            manager=managers[i % len(managers)],
        )
        for i in range(count)
    )
    Appointment.objects.bulk_create(
        Appointment(newcomer=n, ceremony=ceremony, witness=n.manager, link_digest=token_new()[1]) for n in newcomers
    )


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return len(captured)


def main():
    setup_django()
    from django.test import Client
    from django.urls import reverse

    hr, _officiant, ceremony = _setup()
    client = Client()
    sign_in(client, hr)
    added = 0
    for size in SIZES:
        _add_participants(ceremony, size - added, added)
        added = size
        emit(f"ceremony_list_queries_{size}", _queries(client, reverse("ceremony_list")), "queries", GOAL)
        detail = reverse("ceremony_detail", args=[ceremony.pk])
        emit(f"ceremony_detail_queries_{size}", _queries(client, detail), "queries", GOAL)


if __name__ == "__main__":
    main()
