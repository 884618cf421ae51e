"""The API as an HR system meets it: a token for a registered client, camelCase JSON, problems, pages, audit."""

import datetime
import json

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import Application

from api.models import ApiClient
from onboarding.models import AuditEntry, Newcomer
from tests.api.support import TOKEN_URL, api_client_with, bearer, register, token_for
from tests.eed.ceremony_day import assign, ceremony_on, newcomer, record, taken
from tests.factories import NewcomerFactory, OfficiantFactory

pytestmark = pytest.mark.django_db

ZOEK = "/api/v1/newcomers/_zoek"
MILA = {
    "personnelNumber": "P100234",
    "givenNames": "Mila",
    "surnamePrefix": "de",
    "surname": "Vries",
    "email": "Mila.de.Vries@example.org",
    "startDate": "2026-03-01",
    "kind": "employee",
}


def put(client, headers, *newcomers):
    return client.put("/api/v1/newcomers", {"newcomers": list(newcomers)}, content_type="application/json", **headers)


def test_the_command_prints_credentials_once_and_stores_only_the_secret_hash(client):
    credentials = register(name="AFAS", scopes=["newcomers:read"])
    assert set(credentials) == {"client_id", "client_secret", "token_url", "scopes"}
    assert credentials["token_url"].endswith(TOKEN_URL)
    assert credentials["scopes"] == ["newcomers:read"]
    stored = Application.objects.get(client_id=credentials["client_id"]).client_secret
    assert stored != credentials["client_secret"] and check_password(credentials["client_secret"], stored)
    token = token_for(client, credentials)
    assert client.get("/api/v1/newcomers", **bearer(token)).status_code == 200


def test_a_token_holds_only_the_clients_scopes(client):
    credentials = register(name="AFAS", scopes=["newcomers:read"])
    response = client.post(
        TOKEN_URL,
        {"grant_type": "client_credentials", "scope": "newcomers:write", **credentials},
    )
    assert response.status_code == 400
    headers = bearer(token_for(client, credentials))
    refused = put(client, headers, MILA)
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert not Newcomer.objects.exists()


def test_every_answer_has_the_version_and_errors_are_problems(client):
    for url in ("/api/v1/newcomers", "/api/v1/nothing-here", "/api/v1/openapi.json"):
        response = client.get(url)
        assert response["API-Version"] == "1.0.0"
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"
    assert missing.json()["status"] == 404
    anonymous = client.get("/api/v1/newcomers")
    assert anonymous.status_code == 401 and anonymous.json()["title"] == "Unauthorized"


def test_a_signed_in_person_is_not_an_api_client(hr_client):
    assert hr_client.get("/api/v1/newcomers").status_code == 401


def test_an_api_token_opens_no_page_of_a_person(client):
    headers = api_client_with(client)
    response = client.get("/newcomers/", **headers)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_put_creates_then_says_it_changed_nothing(client):
    headers = api_client_with(client)
    first = put(client, headers, MILA)
    assert first.status_code == 200, first.content
    assert first.json()["created"] == 1 and first.json()["changed"] is True
    again = put(client, headers, MILA)
    assert again.json()["changed"] is False
    assert [row["action"] for row in again.json()["newcomers"]] == ["unchanged"]
    mila = Newcomer.objects.get()
    assert mila.email == "mila.de.vries@example.org"
    assert AuditEntry.objects.filter(action="newcomer.create", via="api:Youforce").count() == 1


def test_an_update_changes_only_what_was_sent_and_is_audited(client, manager):
    headers = api_client_with(client)
    put(client, headers, {**MILA, "managerEmail": manager.email})
    answer = put(
        client,
        headers,
        {"personnelNumber": "P100234", **{k: MILA[k] for k in MILA if k != "personnelNumber"}, "surname": "Jansen"},
    )
    assert answer.json()["updated"] == 1
    mila = Newcomer.objects.get()
    assert mila.surname == "Jansen" and mila.manager == manager  # managerEmail not sent: kept
    assert AuditEntry.objects.filter(action="newcomer.update", via="api:Youforce").exists()


def test_problems_name_the_newcomer_and_field_with_the_imports_messages_and_nothing_is_written(client):
    headers = api_client_with(client)
    response = put(client, headers, MILA, {**MILA, "email": "geen-adres", "startDate": "31-02-2026"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    params = {param["name"]: param["reason"] for param in response.json()["invalidParams"]}
    assert params["newcomers.1.email"] == '"geen-adres" is geen geldig e-mailadres.'
    assert "newcomers.1.startDate" in params
    assert params["newcomers.0.personnelNumber"] == "Dit personeelsnummer staat ook op rij 2."
    assert not Newcomer.objects.exists()


def test_a_body_the_schema_refuses_is_a_problem_with_field_errors(client):
    headers = api_client_with(client)
    response = client.put(
        "/api/v1/newcomers", {"newcomers": [{"shoeSize": 42}]}, content_type="application/json", **headers
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"].startswith("newcomers.0")


def test_the_list_pages_with_links_and_filters(client):
    headers = api_client_with(client)
    for number in range(5):
        NewcomerFactory(personnel_number=f"P{number}", kind="external" if number == 4 else "employee")
    page = client.get("/api/v1/newcomers?pageSize=2&page=2", **headers).json()
    assert page["totalCount"] == 5 and len(page["results"]) == 2
    assert "page=3" in page["links"]["next"]["href"] and "page=1" in page["links"]["prev"]["href"]
    assert "page=3" in page["links"]["last"]["href"]
    externals = client.get("/api/v1/newcomers?kind=external", **headers).json()
    assert [row["personnelNumber"] for row in externals["results"]] == ["P4"]
    assert set(externals["results"][0]) >= {"givenNames", "startDate", "status", "managerEmail"}


def test_changed_since_gives_only_the_newcomers_changed_later(client):
    headers = api_client_with(client)
    with time_machine.travel(datetime.datetime(2026, 1, 5, 12, tzinfo=datetime.UTC)):
        NewcomerFactory(personnel_number="OLD")
    with time_machine.travel(datetime.datetime(2026, 2, 5, 12, tzinfo=datetime.UTC)):
        NewcomerFactory(personnel_number="NEW")
    page = client.get("/api/v1/newcomers", {"changedSince": "2026-02-01T00:00:00+01:00"}, **headers).json()
    assert [row["personnelNumber"] for row in page["results"]] == ["NEW"]

    # Any offset ISO 8601 allows, even one PostgreSQL cannot store (over 15:59), is the same moment in UTC.
    far_east = client.get("/api/v1/newcomers", {"changedSince": "2026-02-02T05:00:00+17:24"}, **headers).json()
    assert [row["personnelNumber"] for row in far_east["results"]] == ["NEW"]
    out_of_range = client.get("/api/v1/newcomers", {"changedSince": "0001-01-01T00:00:00+17:24"}, **headers)
    assert out_of_range.status_code == 400
    assert out_of_range["Content-Type"].startswith("application/problem+json")


def test_one_newcomer_by_id_and_by_personnel_number(client):
    headers = api_client_with(client)
    person = NewcomerFactory(personnel_number="P777")
    assert client.get(f"/api/v1/newcomers/{person.pk}", **headers).json()["personnelNumber"] == "P777"
    found = client.post(ZOEK, {"personnelNumber": "P777"}, content_type="application/json", **headers)
    assert found.json()["id"] == person.pk
    missing = client.post(ZOEK, {"personnelNumber": "P0"}, content_type="application/json", **headers)
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"


@override_settings(API_REQUESTS_PER_MINUTE=3)
def test_a_client_over_its_rate_gets_429(client):
    headers = api_client_with(client)
    answers = [client.get("/api/v1/newcomers", **headers).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_ceremonies_show_witness_answers_but_never_the_adapted_manner(client, hr, manager, officiant):
    OfficiantFactory(user=officiant)
    held = ceremony_on(-1, officiant=officiant)
    appointment = assign(held, newcomer(manager, personnel_number="P55"), hr, form="oath", witness=manager)
    appointment.adapted_manner = "Spreekt met een spraakcomputer"
    appointment.save(update_fields=["adapted_manner"])
    record(held, hr, [taken(appointment, adapted="Spraakcomputer gebruikt")])
    headers = api_client_with(client, scopes=["ceremonies:read", "certificates:read"])
    answer = client.get(f"/api/v1/ceremonies/{held.pk}", **headers)
    assert answer.status_code == 200
    participant = answer.json()["participants"][0]
    assert participant["personnelNumber"] == "P55" and participant["outcome"] == "taken"
    assert "spraak" not in answer.content.decode().lower()
    certificates = client.get("/api/v1/certificates", **headers).json()["results"]
    assert certificates[0]["revoked"] is False and certificates[0]["form"] == "oath"
    pdf = client.get(certificates[0]["pdf"].replace("http://127.0.0.1:8000", ""), **headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_declarations_give_each_externals_status(client):
    NewcomerFactory(kind="external", personnel_number="X1")
    NewcomerFactory(kind="employee", personnel_number="E1")
    headers = api_client_with(client, scopes=["declarations:read"])
    rows = client.get("/api/v1/declarations", **headers).json()["results"]
    assert [(row["personnelNumber"], row["status"]) for row in rows] == [("X1", "declaration_not_sent")]


def test_the_openapi_document_names_the_token_url_and_scopes(client):
    document = json.loads(client.get("/api/v1/openapi.json").content)
    flow = document["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == TOKEN_URL
    assert set(flow["scopes"]) == {
        "newcomers:read",
        "newcomers:write",
        "ceremonies:read",
        "certificates:read",
        "declarations:read",
    }
    assert all(not path.endswith("/") for path in document["paths"])


def list_queries(client, headers, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **headers).status_code == 200
    return len(queries)


def test_the_lists_cost_the_same_queries_for_few_and_many(client, manager, officiant):
    headers = api_client_with(client)
    OfficiantFactory(user=officiant)
    urls = ("/api/v1/newcomers", "/api/v1/ceremonies", "/api/v1/declarations", "/api/v1/certificates")

    def add(count):
        for _ in range(count):
            ceremony = ceremony_on(10, officiant=officiant)
            assign(ceremony, newcomer(manager), ceremony.officiant, witness=manager)
            NewcomerFactory(kind="external")

    add(1)
    few = [list_queries(client, headers, url) for url in urls]
    add(6)
    assert [list_queries(client, headers, url) for url in urls] == few


def test_the_command_refuses_an_unknown_scope_and_a_name_taken():
    with pytest.raises(CommandError, match="newcomers:delete"):
        register(name="AFAS", scopes=["newcomers:delete"])
    register(name="AFAS", scopes=["newcomers:read"])
    with pytest.raises(CommandError, match="AFAS"):
        register(name="AFAS", scopes=["newcomers:read"])
    with pytest.raises(CommandError, match="https"):
        register(name="SAP", scopes=["newcomers:read"], webhook_url="http://hr.example.org/hooks")
    assert ApiClient.objects.count() == 1


def test_a_token_is_short_lived(client):
    headers = api_client_with(client)
    assert client.get("/api/v1/newcomers", **headers).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
        assert client.get("/api/v1/newcomers", **headers).status_code == 401


def test_a_batch_over_5000_is_refused_whole(client):
    headers = api_client_with(client)
    rows = [{**MILA, "personnelNumber": f"P{n}", "email": f"p{n}@example.org"} for n in range(5001)]
    response = put(client, headers, *rows)
    assert response.status_code == 400 and response.json()["invalidParams"][0]["name"] == "newcomers"
    assert not Newcomer.objects.exists()


def test_a_body_over_the_limit_is_a_problem_too(client, settings):
    settings.API_BATCH_MAX_BYTES = 1000
    headers = api_client_with(client)
    response = put(client, headers, *[MILA] * 20)
    assert response.status_code == 413 and response["Content-Type"] == "application/problem+json"
    assert response["API-Version"] == "1.0.0" and response["X-Content-Type-Options"] == "nosniff"
