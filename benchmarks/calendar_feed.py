"""The private calendar feed served by the app: 1,000 ceremonies, first and repeated requests.

The first request after a process starts renders every event with icalendar
(~200 ms, see benchmarks.ics_build) and stores the feed in Django's cache
(eed/calendar/feeds.py); later ones build the events again (queries, cached
descriptions in eed/calendar/invites.py), find the feed under the digest of
those events and render nothing. The first request also pays what any first
request of a process pays: Django loads the URLconf, so every app's views and
their imports (~200 ms here, most of it outside the feed: PDF, MFA, tables,
icalendar). Both figures go through the test client, without a server, with
the per-process memory cache; in production the cache is shared, so a new
process finds what another one rendered.

    python -m benchmarks.calendar_feed
"""

import datetime
import statistics
import time

from benchmarks._common import emit, setup_django

CEREMONIES = 1000
RUNS = 7


def main():
    setup_django()
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.utils import timezone

    from eed.calendar.services import calendar_feed_rotate
    from eed.models import Ceremony, Officiant
    from onboarding.models import User

    hr = User.objects.create(email="hr@bench.example.org")
    hr.groups.add(Group.objects.get(name="HR"))
    officiant = User.objects.create(email="secretaris@bench.example.org", first_name="Pieter", last_name="Smit")
    Officiant.objects.create(user=officiant, function="provinciesecretaris")
    start = timezone.now()
    # Three a day, so that all of them fall in the feed's window (CALENDAR_FEED_DAYS_AHEAD).
    Ceremony.objects.bulk_create(
        Ceremony(
            starts_at=start + datetime.timedelta(days=day // 3, hours=1 + 2 * (day % 3)),
            ends_at=start + datetime.timedelta(days=day // 3, hours=2 + 2 * (day % 3)),
            place="Provinciehuis",
            officiant=officiant,
            capacity=10,
        )
        for day in range(CEREMONIES)
    )
    url = f"/calendar/{calendar_feed_rotate(user=hr)}.ics"
    client = Client()

    def fetch() -> float:
        started = time.perf_counter()
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"feed answered {response.status_code}")
        return time.perf_counter() - started

    cold = fetch()
    warm = statistics.median(fetch() for _ in range(RUNS))
    emit(f"calendar_feed_{CEREMONIES}_first_ms", cold * 1000, "ms", None)
    emit(f"calendar_feed_{CEREMONIES}_ms", warm * 1000, "ms", "< 100")


if __name__ == "__main__":
    main()
