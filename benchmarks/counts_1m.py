"""Annual counts over 1,000,000 appointments spread over ten years.

Compares ``eed.counts.figures.annual_counts`` (the ORM's aggregate queries) with the
same figures from hand-written SQL on the same database in the same run.
Uses a temporary SQLite database, or the PostgreSQL in DATABASE_URL when set
(it then creates and drops its own test database through Django's test
runner helpers).

    python -m benchmarks.counts_1m            # SIZE=200000 for a quicker look
"""

import datetime
import os
import statistics
import time

from benchmarks._common import emit, setup_django

SIZE = int(os.environ.get("SIZE", 1_000_000))
YEARS = range(2013, 2023)
YEAR = 2022
RUNS = 9
BATCH = 5000


def _setup_database():
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        django.setup()
        from django.db import connection

        name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        return lambda: connection.creation.destroy_test_db(name, verbosity=0)
    setup_django()
    return lambda: None


def _fill():
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from eed.models import Appointment, Ceremony, Officiant
    from onboarding.models import Newcomer, User
    from onboarding.newcomers.deadlines import oath_deadline

    zone = ZoneInfo("Europe/Amsterdam")
    officiant = User.objects.create(email="secretaris@bench.example.org")
    Officiant.objects.create(user=officiant, function="provinciesecretaris", griffie=True)
    days = [datetime.date(year, 1, 4) + datetime.timedelta(days=7 * week) for year in YEARS for week in range(50)]
    ceremonies = Ceremony.objects.bulk_create(
        Ceremony(
            starts_at=datetime.datetime.combine(day, datetime.time(10), tzinfo=zone),
            ends_at=datetime.datetime.combine(day, datetime.time(11), tzinfo=zone),
            place="Zaal",
            officiant=officiant,
            capacity=5000,
            state="held",
        )
        for day in days
    )
    kinds = ["employee"] * 17 + ["trainee", "griffie", "employee"]
    now = timezone.now()
    for start in range(0, SIZE, BATCH):
        numbers = range(start, min(start + BATCH, SIZE))
        newcomers = []
        for number in numbers:
            ceremony_day = days[number % len(days)]
            begin = ceremony_day - datetime.timedelta(days=30 + number % 45)
            newcomers.append(
                Newcomer(
                    given_names="Jan",
                    surname="Jansen",
                    email=f"n{number}@bench.example.org",
                    personnel_number=f"N{number:08d}",
                    start_date=begin,
                    deadline=oath_deadline(begin, 2),
                    kind=kinds[number % len(kinds)],
                    appointing_body="civil_service",
                )
            )
        Newcomer.objects.bulk_create(newcomers)
        Appointment.objects.bulk_create(
            Appointment(
                newcomer=newcomer,
                ceremony=ceremonies[number % len(ceremonies)],
                link_digest=f"{number:064x}",
                outcome="taken",
                form_used="oath" if number % 3 else "affirmation",
                recorded_at=now,
            )
            for number, newcomer in zip(numbers, newcomers, strict=True)
        )


HAND_SQL = {
    "sqlite": (
        "SELECT n.kind, a.form_used, SUM(CASE WHEN substr(c.starts_at, 1, 10) <= n.deadline THEN 1 ELSE 0 END), "
        "COUNT(*) FROM eed_appointment a JOIN eed_ceremony c ON c.id = a.ceremony_id "
        "JOIN onboarding_newcomer n ON n.id = a.newcomer_id "
        "WHERE a.outcome = 'taken' AND c.starts_at >= %s AND c.starts_at < %s GROUP BY n.kind, a.form_used"
    ),
    "postgresql": (
        "SELECT n.kind, a.form_used, SUM(CASE WHEN (c.starts_at AT TIME ZONE 'Europe/Amsterdam')::date <= n.deadline "
        "THEN 1 ELSE 0 END), COUNT(*) FROM eed_appointment a JOIN eed_ceremony c ON c.id = a.ceremony_id "
        "JOIN onboarding_newcomer n ON n.id = a.newcomer_id "
        "WHERE a.outcome = 'taken' AND c.starts_at >= %s AND c.starts_at < %s GROUP BY n.kind, a.form_used"
    ),
}
HAND_NOT_SWORN = (
    "SELECT COUNT(*) FROM onboarding_newcomer n WHERE n.kind <> 'external' AND n.deadline >= %s AND n.deadline < %s "
    "AND NOT EXISTS (SELECT 1 FROM eed_appointment a JOIN eed_ceremony c ON c.id = a.ceremony_id "
    "WHERE a.newcomer_id = n.id AND a.outcome = 'taken' AND {date} <= n.deadline)"
)
HAND_DATES = {
    "sqlite": "substr(c.starts_at, 1, 10)",
    "postgresql": "(c.starts_at AT TIME ZONE 'Europe/Amsterdam')::date",
}


def _hand_written(year):
    """The sworn, form, on-time and not-sworn figures for a year and the year before, in raw SQL."""
    from django.db import connection

    from eed.counts.figures import year_bounds

    vendor = connection.vendor
    with connection.cursor() as cursor:
        for each in (year - 1, year):
            start, end = year_bounds(each)
            cursor.execute(HAND_SQL[vendor], [start, end])
            cursor.fetchall()
            cursor.execute(
                HAND_NOT_SWORN.format(date=HAND_DATES[vendor]),
                [datetime.date(each, 1, 1), datetime.date(each + 1, 1, 1)],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT COUNT(*) FROM onboarding_declarationsignature WHERE withdrawn_at IS NULL "
                "AND signed_at >= %s AND signed_at < %s",
                [start, end],
            )
            cursor.execute(
                "SELECT setting, SUM(participants) FROM eed_dilemmasession WHERE date >= %s AND date < %s "
                "GROUP BY setting",
                [datetime.date(each, 1, 1), datetime.date(each + 1, 1, 1)],
            )
            cursor.fetchall()


def _interleaved_medians(first, second) -> tuple[float, float]:
    """Median times of two functions run alternately, so load on the machine hits both alike."""
    first(), second()
    timings = ([], [])
    for _ in range(RUNS):
        for fn, bucket in ((first, timings[0]), (second, timings[1])):
            started = time.perf_counter()
            fn()
            bucket.append(time.perf_counter() - started)
    return statistics.median(timings[0]), statistics.median(timings[1])


def main():
    teardown = _setup_database()
    try:
        from django.db import connection

        from eed.counts.figures import annual_counts

        _fill()
        ours, hand = _interleaved_medians(lambda: annual_counts(year=YEAR), lambda: _hand_written(YEAR))
        vendor = connection.vendor
        emit(f"counts_{SIZE // 1000}k_{vendor}_ms", ours * 1000, "ms", None)
        emit(f"counts_{SIZE // 1000}k_{vendor}_hand_sql_ms", hand * 1000, "ms", None)
        emit(f"counts_{SIZE // 1000}k_{vendor}_ratio", ours / hand, "ratio", "<= 1.5")
    finally:
        teardown()


if __name__ == "__main__":
    main()
