"""Every HR and manager page with the data of a whole central government (issue #19).

Builds ``SIZE`` newcomers over seven years with their ceremonies (5%),
appointments, declarations, audit entries (5 per newcomer) and managers
(benchmarks.scale_data), then prints for each page its queries, the median
server time of 5 requests (test client, signed in with a second factor, after
one warm-up request) and its size. Pages: the dashboard (HR and a manager), the
newcomer list (to plan, the last page, sorted by status, searched, a manager's),
a newcomer's page, the newcomer form (new and edit, with the manager picker), the
declarations, the users, the planner preview, the attendance sheet of a
ceremony that took place, an upcoming ceremony's page with its add form, the
ceremony list and form, the page to replace a witness, a manager's witness
requests, the HR calendar feed, the dilemma sessions and their form, the annual
counts page and the admin's audit trail, appointments and newcomers. The exports have a
benchmark of their own.

On SQLite by default (a fresh temporary file). With ``DATABASE_URL`` set to a
PostgreSQL server, on a database of its own, ``<name>_pages_at_scale``, created
and dropped around the run (the URL's own database is never touched).

    python -m benchmarks.pages_at_scale                  # SIZE=2000, part of python -m benchmarks
    SIZE=20000 python -m benchmarks.pages_at_scale       # medium, ~20 seconds
    SIZE=100000 python -m benchmarks.pages_at_scale      # the issue's size (about a minute)
    PAGES=annual_counts,calendar_feed_hr SIZE=20000 python -m benchmarks.pages_at_scale   # only those pages
    DATABASE_URL=postgres://postgres@127.0.0.1:54399/postgres SIZE=20000 python -m benchmarks.pages_at_scale

Goals (issue #19): every page under 300 ms, at most 200 KB of HTML, the same
number of queries at every size; the planner preview under 1 s. The HR calendar
feed is measured as calendar services fetch it, compressed (its size without gzip
is printed below it, for reference: iCalendar, not HTML, bounded by the feed's window).
"""

import os
import statistics
import sys
import time
from urllib.parse import urlsplit, urlunsplit

from benchmarks._common import ROOT, emit, setup_django, sign_in

SIZE = int(os.environ.get("SIZE", "2000"))
# Comma-separated page names (as printed) to measure only those; all pages when unset.
PAGES = {name.strip() for name in os.environ.get("PAGES", "").split(",") if name.strip()}
RUNS = 5
GOAL_MS = 300
PLANNER_GOAL_MS = 1000
GOAL_KB = 200
# Fetched as its clients fetch it: calendar services ask for gzip. Its size uncompressed is printed too.
HEADERS = {"calendar_feed_hr": {"Accept-Encoding": "gzip"}}


def _postgres_database(url: str) -> str:
    """Create ``<db>_pages_at_scale`` on the server of ``url``; returns its URL (dropped at exit)."""
    import atexit

    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'postgres'}_pages_at_scale"

    def admin(statement):
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(statement)

    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}"')
    atexit.register(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return urlunsplit(parts._replace(path=f"/{name}"))


def _setup() -> str:
    """Django on a fresh database: SQLite, or PostgreSQL when DATABASE_URL names one. Returns its vendor."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        setup_django()
        return "sqlite"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = _postgres_database(url)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "1"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0, interactive=False)
    return "postgresql"


def pages(data) -> list[tuple[str, str, str]]:
    """(name, user key, URL) of every page measured."""
    from django.urls import reverse

    from eed.calendar.services import calendar_feed_rotate
    from eed.models import Appointment
    from onboarding.models import Newcomer
    from onboarding.newcomers.tables import PAGE_SIZE

    last_page = max(1, -(-Newcomer.objects.count() // PAGE_SIZE))
    feed = f"/calendar/{calendar_feed_rotate(user=data['hr'])}.ics"
    attendance = data["attendance_ceremony"].pk
    upcoming = data["upcoming_ceremony"].pk
    newcomers = reverse("newcomer_list")
    # A participant of the upcoming ceremony: their page with its history, and the page to replace the witness.
    appointment = Appointment.objects.filter(ceremony_id=upcoming, ended_at__isnull=True).order_by("pk").first()
    return [
        ("dashboard_hr", "hr", reverse("dashboard")),
        ("dashboard_manager", "manager", reverse("dashboard")),
        ("newcomers_to_plan", "hr", f"{newcomers}?status=to_plan"),
        ("newcomers_last_page", "hr", f"{newcomers}?page={last_page}"),
        ("newcomers_sort_status", "hr", f"{newcomers}?sort=status"),
        ("newcomers_search_personnel_number", "hr", f"{newcomers}?q=S00000042"),
        ("newcomers_manager", "manager", newcomers),
        ("newcomer_page", "hr", reverse("newcomer_detail", args=[appointment.newcomer_id])),
        ("newcomer_form", "hr", reverse("newcomer_create")),
        ("newcomer_edit_form", "hr", reverse("newcomer_edit", args=[appointment.newcomer_id])),
        ("declarations", "hr", reverse("declaration_list")),
        ("users", "hr", reverse("user_list")),
        ("planner_preview", "hr", reverse("planner")),
        ("attendance_sheet", "hr", reverse("attendance_sheet", args=[attendance])),
        ("ceremony_page", "hr", reverse("ceremony_detail", args=[upcoming])),
        ("ceremony_list", "hr", reverse("ceremony_list")),
        ("ceremony_form", "hr", reverse("ceremony_create")),
        ("witness_replace", "hr", reverse("witness_replace", args=[appointment.pk])),
        ("witness_requests_manager", "manager", reverse("witness_requests")),
        ("calendar_feed_hr", "anonymous", feed),
        ("dilemma_session_form", "hr", reverse("dilemma_session_create")),
        ("dilemma_sessions", "hr", reverse("dilemma_session_list")),
        ("annual_counts", "hr", reverse("annual_counts")),
        ("admin_audit_trail", "admin", "/admin/onboarding/auditentry/"),
        ("admin_appointments", "admin", "/admin/eed/appointment/"),
        ("admin_newcomers", "admin", "/admin/onboarding/newcomer/"),
    ]


def measure(client, url, headers=None) -> tuple[int, float, int]:
    """(queries, median seconds of RUNS requests after one warm-up, bytes as sent)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test.utils import CaptureQueriesContext

    def fetch():
        response = client.get(url, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return response

    fetch()
    # As in the tests: the connection stays open across the request, so every query is counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with CaptureQueriesContext(connection) as queries:
            size = len(fetch().content)
        count = len(queries)  # now: the log is the connection's, and a new connection starts it afresh
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fetch()
        timings.append(time.perf_counter() - started)
    return count, statistics.median(timings), size


def main():
    vendor = _setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from benchmarks import scale_data

    started = time.perf_counter()
    data = scale_data.build(SIZE)
    if vendor == "postgresql":
        # What autovacuum does soon after a bulk load in production: without statistics the planner
        # guesses, and one page's count took 1.5 s instead of 0.1 s at SIZE=100000.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"pages_at_scale: {SIZE} newcomers, {data['ceremonies']} ceremonies, {data['appointments']} appointments"
        f" on {vendor} built in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
        flush=True,
    )
    clients = {"anonymous": Client()}
    for key in ("hr", "manager", "admin"):
        clients[key] = Client()
        sign_in(clients[key], data[key])
    measured = pages(data)
    unknown = PAGES - {name for name, _who, _url in measured}
    if unknown:
        raise SystemExit(f"PAGES names no page: {', '.join(sorted(unknown))}")
    print(f"{'page':<36}{'queries':>8}{'ms':>9}{'KB':>9}", file=sys.stderr)
    for name, who, url in measured:
        if PAGES and name not in PAGES:
            continue
        cache.clear()
        queries, seconds, size = measure(clients[who], url, HEADERS.get(name))
        goal = PLANNER_GOAL_MS if name == "planner_preview" else GOAL_MS
        prefix = f"pages_at_scale_{vendor}_{SIZE}_{name}"
        emit(f"{prefix}_queries", queries, "queries", "same as demo data")
        emit(f"{prefix}_ms", seconds * 1000, "ms", f"< {goal}")
        emit(f"{prefix}_kb", size / 1024, "KB", f"<= {GOAL_KB}")
        flag = " !" if seconds * 1000 > goal or size > GOAL_KB * 1024 else ""
        print(f"{name:<36}{queries:>8}{seconds * 1000:>9.0f}{size / 1024:>9.0f}{flag}", file=sys.stderr, flush=True)
        if name in HEADERS:
            raw = len(clients[who].get(url).content)
            emit(f"{prefix}_uncompressed_kb", raw / 1024, "KB", "none (what a client without gzip gets)")
            print(f"{'  ' + name + ' without gzip':<36}{'':>8}{'':>9}{raw / 1024:>9.0f}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
