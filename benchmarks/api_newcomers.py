"""The API's newcomers: the list's queries at 10 and 10,000 newcomers, and a 5,000-newcomer PUT against
the CSV import of the same rows.

The list must cost the same number of queries however many newcomers exist (status derived in the query,
a page is a LIMIT). A batch of 5,000 goes through the import's own checks and writer, so it should take
under 10 s and at most 3x the import of the same rows from CSV (``newcomers_import_file``, in-process,
timed the same way); the repeated PUT (every row unchanged) is printed beside it.

    python -m benchmarks.api_newcomers
"""

import csv
import io
import json
import random
import time

from benchmarks._common import emit, setup_django
from benchmarks.newcomer_list import add_newcomers, make_users

SMALL, LARGE, BATCH = 10, 10_000, 5_000
CSV_COLUMNS = ("personnel_number", "given_names", "surname_prefix", "surname", "email", "start_date", "kind")
CSV_COLUMNS += ("manager_email",)


def rows(prefix: str) -> list[dict]:
    kinds = ("employee", "employee", "employee", "trainee", "griffie", "external")
    return [
        {
            "personnelNumber": f"{prefix}{n:06d}",
            "givenNames": "Zoë Anna" if n % 2 else "Jan-Willem",
            "surnamePrefix": "van der" if n % 3 == 0 else "",
            "surname": f"Özdemir{n}",
            "email": f"{prefix.lower()}{n}@example.org",
            "startDate": f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}",
            "kind": kinds[n % len(kinds)],
            "managerEmail": f"{prefix.lower()}-manager{n % 200}@example.org",  # both invite 200 managers
        }
        for n in range(BATCH)
    ]


def as_csv(batch: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    names = list(batch[0])
    writer.writerow(CSV_COLUMNS)
    for row in batch:
        writer.writerow([row[name] for name in names])
    return out.getvalue().encode()


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def main():
    setup_django()

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from api.clients import SCOPES, api_client_create
    from onboarding.imports.services import newcomers_import_file

    settings.API_REQUESTS_PER_MINUTE = 1_000_000
    settings.OUTBOX_SEND_AFTER_COMMIT = False  # the invitations stay queued: the same for both doors
    _hr, managers = make_users()
    application, secret = api_client_create(name="Benchmark", scopes=list(SCOPES))
    client = Client()
    answer = client.post(
        "/api/v1/oauth/token",
        {"grant_type": "client_credentials", "client_id": application.application.client_id, "client_secret": secret},
    )
    headers = {"HTTP_AUTHORIZATION": f"Bearer {answer.json()['access_token']}"}

    def list_queries() -> int:
        client.get("/api/v1/newcomers?pageSize=100", **headers)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/newcomers?pageSize=100&kind=employee", **headers)
        assert response.status_code == 200, response.content
        return len(queries)

    rng = random.Random(20260101)
    add_newcomers(SMALL, start=0, managers=managers, rng=rng)
    queries_small = list_queries()
    add_newcomers(LARGE - SMALL, start=SMALL, managers=managers, rng=rng)
    queries_large = list_queries()

    body = json.dumps({"newcomers": rows("A")})
    put = lambda: client.put("/api/v1/newcomers", body, content_type="application/json", **headers)  # noqa: E731
    response, api_seconds = timed(put)
    assert response.status_code == 200 and response.json()["created"] == BATCH, response.content[:500]
    response, again_seconds = timed(put)
    assert response.json()["changed"] is False
    content = as_csv(rows("C"))
    counts, csv_seconds = timed(lambda: newcomers_import_file(content=content, filename="export.csv"))
    assert counts.created == BATCH

    emit(f"api_newcomer_list_queries_{SMALL}", queries_small, "queries", "same")
    emit(f"api_newcomer_list_queries_{LARGE}", queries_large, "queries", "same")
    emit(f"api_put_{BATCH}_seconds", api_seconds, "s", "< 10")
    emit(f"api_put_{BATCH}_repeated_seconds", again_seconds, "s", None)
    emit(f"csv_import_{BATCH}_seconds", csv_seconds, "s", None)
    emit("api_put_vs_csv_import_ratio", api_seconds / csv_seconds, "ratio", "<= 3")


if __name__ == "__main__":
    main()
