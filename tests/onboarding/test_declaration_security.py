"""The signing link stays secret: no referrer, no cache, no logs, limited tries, CSRF on the form."""

import logging

import pytest
from django.test import Client, RequestFactory, override_settings

from config.logfilters import RedactTokens
from core.ratelimit import client_ip
from onboarding.models import DeclarationSignature
from tests.onboarding.declaration_support import (  # noqa: F401 (fixtures)
    external_fixture,
    hidden_fields,
    send_link,
    sign_data,
    sign_url,
)

pytestmark = pytest.mark.django_db


def test_every_public_answer_keeps_the_link_out_of_referrers_and_caches(external, mailbox, client):
    token = send_link(external, mailbox=mailbox)
    answers = [
        client.get(sign_url(token)),
        client.post(sign_url(token), sign_data(client, token, full_name="Someone Else")),
        client.get(sign_url("unknown" * 7)),
        client.get(f"{sign_url(token)}pdf/"),
    ]
    for response in answers:
        assert response["Referrer-Policy"] == "no-referrer"
        assert "no-store" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_code_of_conduct_link_sends_no_referrer_either(external, mailbox, client):
    token = send_link(external, mailbox=mailbox)
    content = client.get(sign_url(token)).content.decode()
    assert 'rel="noreferrer noopener"' in content


@override_settings(DECLARATION_GETS_PER_MINUTE=5, DECLARATION_POSTS_PER_MINUTE=2)
def test_too_many_requests_from_one_address_get_429_with_a_clear_page(external, mailbox):
    token = send_link(external, mailbox=mailbox)
    client = Client(REMOTE_ADDR="198.51.100.7")

    statuses = [client.get(sign_url("x" * 43 + str(n))).status_code for n in range(5)]
    limited = client.get(sign_url(token))

    assert statuses == [404] * 5
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"
    assert "Te veel pogingen" in limited.content.decode()
    assert limited["Referrer-Policy"] == "no-referrer"
    assert Client(REMOTE_ADDR="198.51.100.8").get(sign_url(token)).status_code == 200  # another address


@override_settings(DECLARATION_GETS_PER_MINUTE=100, DECLARATION_POSTS_PER_MINUTE=2)
def test_posts_are_limited_apart_from_page_views(external, mailbox):
    token = send_link(external, mailbox=mailbox)
    client = Client(REMOTE_ADDR="198.51.100.9")
    wrong = sign_data(client, token, full_name="Wrong Name")

    statuses = [client.post(sign_url(token), wrong).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert client.get(sign_url(token)).status_code == 200
    assert DeclarationSignature.objects.count() == 0


def _csrf_client_with_form(token):
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.5")
    page = client.get(sign_url(token))
    data = {**hidden_fields(page.content.decode()), "confirmed": "on", "full_name": "Zoë Françoise van der Öster"}
    assert data["csrfmiddlewaretoken"]
    return client, data


def test_the_form_needs_its_csrf_token(external, mailbox):
    token = send_link(external, mailbox=mailbox)
    client, data = _csrf_client_with_form(token)
    del data["csrfmiddlewaretoken"]

    assert client.post(sign_url(token), data).status_code == 403
    assert DeclarationSignature.objects.count() == 0


@pytest.mark.parametrize("secure", [False, True])
def test_a_browser_post_from_the_no_referrer_page_is_accepted(external, mailbox, secure):
    """Browsers send this page's own posts with Origin: null and no Referer (Fetch standard)."""
    token = send_link(external, mailbox=mailbox)
    client, data = _csrf_client_with_form(token)

    response = client.post(sign_url(token), data, HTTP_ORIGIN="null", secure=secure)

    assert response.status_code == 302
    assert DeclarationSignature.objects.count() == 1


def test_a_post_from_another_site_is_refused_even_with_a_token(external, mailbox):
    token = send_link(external, mailbox=mailbox)
    client, data = _csrf_client_with_form(token)

    response = client.post(sign_url(token), data, HTTP_ORIGIN="https://evil.example")

    assert response.status_code == 403
    assert DeclarationSignature.objects.count() == 0


def test_the_token_never_reaches_the_logs(external, mailbox, client, caplog):
    token = send_link(external, mailbox=mailbox)
    caplog.set_level(logging.DEBUG)

    client.get(sign_url("Z" * 43))
    client.get(f"{sign_url(token)}pdf/")  # 404: not signed yet
    Client(enforce_csrf_checks=True).post(sign_url(token), {})  # 403: CSRF

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/d/[redacted]" in logged
    assert token not in logged and "Z" * 43 not in logged


def test_the_redaction_filter_rewrites_paths_in_any_record():
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s', ("GET /d/abc_DEF-1/pdf/ HTTP/1.1", 404), None
    )
    RedactTokens().filter(record)
    assert record.getMessage() == '"GET /d/[redacted]/pdf/ HTTP/1.1" 404'


def test_the_client_address_is_remote_addr_unless_the_proxy_is_trusted(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.44")
    settings.TRUST_X_FORWARDED_FOR = False
    assert client_ip(request) == "10.0.0.2"
    settings.TRUST_X_FORWARDED_FOR = True
    assert client_ip(request) == "192.0.2.44"


@pytest.mark.parametrize(
    ("line", "logged"),
    [
        ("GET /e/s3cr3t-Token_x/ HTTP/1.1", "GET /e/[redacted]/ HTTP/1.1"),
        ("GET /calendar/feedToken.ics HTTP/1.1", "GET /calendar/[redacted] HTTP/1.1"),
        ("GET /verify/Q7w9code/ HTTP/1.1", "GET /verify/[redacted]/ HTTP/1.1"),
        ("GET /newcomers/?q=Jansen&status=overdue HTTP/1.1", "GET /newcomers/?[redacted] HTTP/1.1"),
        ("GET /ceremonies/12/ HTTP/1.1", "GET /ceremonies/12/ HTTP/1.1"),
    ],
)
def test_links_codes_feeds_and_search_terms_are_redacted_and_plain_paths_kept(line, logged):
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s', (line, 200), None)
    RedactTokens().filter(record)
    assert record.getMessage() == f'"{logged}" 200'
