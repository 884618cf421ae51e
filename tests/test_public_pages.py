"""Every page reached without an account (personal links, proof checks) answers with the same headers and 429 page."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

UNKNOWN = "A" * 43
PUBLIC = {
    "declaration_sign": ("DECLARATION_GETS_PER_MINUTE", [UNKNOWN]),
    "declaration_pdf": ("DECLARATION_GETS_PER_MINUTE", [UNKNOWN]),
    "newcomer_link": ("NEWCOMER_LINK_GETS_PER_MINUTE", [UNKNOWN]),
    "certificate_verify": ("VERIFY_PER_MINUTE", ["B" * 32]),
}


def assert_public(response):
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.parametrize("name", PUBLIC)
def test_unknown_links_and_codes_answer_404_with_the_public_headers(name):
    response = Client().get(reverse(name, args=PUBLIC[name][1]))

    assert response.status_code == 404
    assert_public(response)


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_page_refuses_with_the_one_429_page(name, settings):
    setting, args = PUBLIC[name]
    setattr(settings, setting, 0)

    response = Client().get(reverse(name, args=args))

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert [template.name for template in response.templates][:1] == ["too_many_requests.html"]
    assert "Te veel pogingen" in response.content.decode()
    assert_public(response)


def test_the_declaration_429_page_switches_language_with_the_link_its_page_follows(settings):
    settings.DECLARATION_GETS_PER_MINUTE = 0
    page = Client().get(reverse("declaration_sign", args=[UNKNOWN]), {"lang": "en"})

    html = page.content.decode()
    assert page.status_code == 429
    assert "Too many attempts" in html
    assert 'href="?lang=nl"' in html
    assert reverse("language_set") not in html


def test_the_other_429_pages_keep_the_site_language_switch(settings):
    settings.VERIFY_PER_MINUTE = 0
    html = Client().get(reverse("certificate_verify", args=["B" * 32])).content.decode()

    assert reverse("language_set") in html
    assert "?lang=" not in html


def test_a_refused_csrf_post_to_a_personal_link_keeps_the_headers_too():
    response = Client(enforce_csrf_checks=True).post(reverse("newcomer_link", args=[UNKNOWN]), {"form": "oath"})

    assert response.status_code == 403
    assert_public(response)
