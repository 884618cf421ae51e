"""The accessibility statement (toegankelijkheidsverklaring): public, linked from every page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_statement_is_public_and_names_the_standard_and_how_to_report(client, settings):
    settings.HR_MAILBOX = "toegankelijkheid@example.org"
    url = reverse("accessibility_statement")

    response = client.get(url)

    assert url == "/toegankelijkheid/"
    assert response.status_code == 200
    html = response.content.decode()
    assert "WCAG" in html and "2.1" in html and "axe-core" in html
    assert 'href="mailto:toegankelijkheid@example.org"' in html
    assert "2026" in html  # the review date


def test_every_page_links_to_the_statement_from_the_footer(client, hr_client):
    link = f'href="{reverse("accessibility_statement")}"'
    assert link in client.get(reverse("account_login")).content.decode()
    assert link in hr_client.get(reverse("dashboard")).content.decode()
