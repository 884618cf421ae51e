"""One base for every absolute link: SITE_URL (core/links.py), whatever host a page was asked through.

Served on another port (``make run PORT=8101``), the mail links, the QR code on a proof, the private calendar
feed, the account invitation and allauth's password-reset mail all point there, never at port 8000 nor at the
host name a request happened to use.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from core.links import absolute_url, rebased
from eed.ceremonies.services import appointment_assign
from eed.models import Certificate
from eed.proofs.documents import certificate_pdf
from onboarding.accounts import services as account_services
from onboarding.enums import Kind, Role
from tests.eed.ceremony_day import assign, ceremony_on, decode_qr_codes, newcomer, record, taken
from tests.factories import NewcomerFactory
from tests.html import mail_html
from tests.onboarding.declaration_support import send_link

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
OTHER = "http://127.0.0.1:8101"
URL = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture
def other_port(settings):
    settings.SITE_URL = OTHER
    return OTHER


def links_of(message) -> list[str]:
    """Every absolute URL in a mail's text and HTML parts."""
    parts = [message.body, mail_html(message) or ""]
    return [url for part in parts for url in URL.findall(part)]


def our_links(messages) -> list[str]:
    """The links of these mails that point at this application (not the code of conduct elsewhere)."""
    return [url for message in messages for url in links_of(message) if "zuid-holland.nl" not in url]


def test_assigning_mails_the_witness_and_the_newcomer_links_on_site_url(other_port, hr, manager, mailbox):
    ceremony = ceremony_on(14)
    appointment, raw = appointment_assign(newcomer=newcomer(manager), ceremony=ceremony, by=hr, witness=manager)

    links = our_links(mailbox())

    assert f"{OTHER}{reverse('witness_answer', args=[appointment.pk])}" in links
    assert f"{OTHER}{reverse('newcomer_link', args=[raw])}" in links
    assert links and all(url.startswith(OTHER + "/") for url in links), links


def test_the_declaration_link_is_mailed_on_site_url(other_port, hr, mailbox):
    external = NewcomerFactory(kind=Kind.EXTERNAL)
    token = send_link(external, by=hr, mailbox=mailbox)

    links = our_links(mailbox())

    assert f"{OTHER}{reverse('declaration_sign', args=[token])}" in links
    assert all(url.startswith(OTHER + "/") for url in links), links


def test_an_invitation_asked_through_another_host_name_links_to_site_url(other_port, hr_client, mailbox):
    hr_client.post(
        reverse("user_invite"),
        {"email": "nieuw@example.org", "roles": [Role.MANAGER.value], "language": "nl"},
        HTTP_HOST="localhost",
    )

    (invitation,) = mailbox()
    links = our_links([invitation])
    assert any(url.startswith(f"{OTHER}/accounts/password/reset/key/") for url in links), links
    assert f"{OTHER}{reverse('account_login')}" in links
    assert all(url.startswith(OTHER + "/") for url in links), links


def test_allauths_password_reset_mail_takes_site_url_not_the_request_host(other_port, hr, mailbox):
    Client().post(reverse("account_reset_password"), {"email": hr.email}, HTTP_HOST="localhost")

    (reset,) = mailbox()
    links = our_links([reset])
    assert any(url.startswith(f"{OTHER}/accounts/password/reset/key/") for url in links), reset.body
    assert all(url.startswith(OTHER + "/") for url in links), links
    assert "localhost" not in reset.body


def test_the_link_in_allauths_mail_still_opens_the_password_form(other_port, hr, mailbox):
    Client().post(reverse("account_reset_password"), {"email": hr.email})
    (link,) = [url for url in our_links(mailbox()) if "/password/reset/key/" in url]

    page = Client().get(link.removeprefix(OTHER), follow=True)

    assert page.status_code == 200
    assert 'name="password1"' in page.content.decode()


def test_a_proofs_qr_code_holds_the_verification_page_on_site_url(other_port, hr, manager, tmp_path):
    ceremony = ceremony_on(-1)
    appointment = assign(ceremony, newcomer(manager), hr, form="oath")
    record(ceremony, hr, [taken(appointment)])
    certificate = Certificate.objects.get(appointment=appointment)

    (payload,) = decode_qr_codes(certificate_pdf(certificate), tmp_path)

    assert payload == f"{OTHER}{reverse('certificate_verify', args=[certificate.verification_code])}"


def test_the_calendar_feed_address_is_shown_on_site_url(other_port, manager_client):
    page = manager_client.post(reverse("calendar_settings"), HTTP_HOST="localhost").content.decode()

    feed = re.search(r'value="(https?://[^"]+\.ics)"', page).group(1)
    assert feed.startswith(f"{OTHER}/calendar/")


def test_the_weekly_digest_links_to_the_list_on_site_url(other_port, manager, mailbox):
    from eed.ceremonies.reminders import deadline_digests_send
    from tests.eed.ceremony_day import at

    newcomer(manager, started_days_ago=55)  # deadline within two weeks, no ceremony
    deadline_digests_send(today=at(0).date())

    links = our_links(mailbox())
    assert f"{OTHER}{reverse('newcomer_list')}" in links
    assert all(url.startswith(OTHER + "/") for url in links), links


def test_the_helper_joins_site_url_and_a_path_and_refuses_anything_else(other_port):
    assert absolute_url("/e/abc/") == f"{OTHER}/e/abc/"
    assert rebased("http://localhost:8000/accounts/password/reset/key/1-x/?a=b") == (
        f"{OTHER}/accounts/password/reset/key/1-x/?a=b"
    )
    for bad in ("e/abc/", "//evil.example/", "http://elsewhere/"):
        with pytest.raises(ValueError):
            absolute_url(bad)


def test_no_module_but_core_links_builds_an_absolute_link():
    """SITE_URL is read in one place; nothing builds a link from the request's host."""
    offences = []
    for package in ("onboarding", "eed", "core"):
        for path in sorted((ROOT / package).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            relative = path.relative_to(ROOT).as_posix()
            if re.search(r"\bsettings\.SITE_URL\b", source) and relative != "core/links.py":
                offences.append(f"{relative}: settings.SITE_URL")
            if "build_absolute_uri" in source:
                offences.append(f"{relative}: build_absolute_uri")
    assert offences == []


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_on_another_port_passes_host_and_port_to_the_server():
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8101", "HOST=127.0.0.1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    (serve,) = [line for line in result.stdout.splitlines() if "manage.py runserver" in line]
    assert "HOST=127.0.0.1" in serve and "PORT=8101" in serve and serve.endswith("runserver 127.0.0.1:8101")


def test_an_invitation_sent_again_links_to_site_url(other_port, hr, mailbox):
    user = account_services.user_invite(email="later@example.org", by=hr, roles=[Role.MANAGER])
    mailbox().clear()

    account_services.invitation_resend(user=user, by=hr)

    links = our_links(mailbox())
    assert any(url.startswith(f"{OTHER}/accounts/password/reset/key/") for url in links), links
