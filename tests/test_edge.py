"""What every answer carries, also those made before any view runs, and how large a request may be."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy")


def assert_secured(response):
    missing = [name for name in HEADERS if name not in response]
    assert not missing, f"{response.status_code} answer lacks {missing}"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_wrong_host_answer_carries_the_security_headers(settings):
    settings.ALLOWED_HOSTS = ["eed.example.org"]

    response = Client().get("/accounts/login/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert_secured(response)


def test_static_files_served_in_production_carry_the_security_headers(settings, tmp_path):
    """With DEBUG off whitenoise answers /static/ before any view (the production middleware order)."""
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:3],
        "whitenoise.middleware.WhiteNoiseMiddleware",
        *[m for m in settings.MIDDLEWARE[3:] if "whitenoise" not in m],
    ]
    settings.WHITENOISE_USE_FINDERS = True
    settings.STATIC_ROOT = tmp_path

    response = Client().get("/static/css/app.css")

    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])
    assert_secured(response)


def test_a_not_found_page_and_a_personal_link_carry_them_too(client):
    assert_secured(client.get("/no-such-page/"))
    link = client.get("/d/not-a-real-link-token-at-all/")
    assert_secured(link)
    assert link["Referrer-Policy"] == "no-referrer"  # a page's own policy wins


def test_an_anonymous_huge_post_to_the_login_page_is_refused_before_it_is_read(client):
    body = b"login=a%40example.org&password=" + b"x" * (3 * 1024 * 1024)

    response = client.post(reverse("account_login"), body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 413
    assert "te groot" in response.content.decode()
    assert_secured(response)
    assert "_auth_user_id" not in client.session


def test_a_declared_length_over_the_limit_is_enough_to_refuse(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1000

    response = client.post(reverse("account_login"), b"login=x", content_type="text/plain", CONTENT_LENGTH="5000")

    assert response.status_code == 413


def test_hr_may_still_upload_an_import_of_several_megabytes(hr_client, settings):
    big = b"personeelsnummer;voornamen\n" + b"P1;Jan\n" * (3 * 1024 * 1024 // 7)

    response = hr_client.post(reverse("import_upload"), {"file": SimpleUploadedFile("export.csv", big)})

    assert response.status_code != 413


def test_an_upload_larger_than_the_import_limit_is_refused_at_the_door(hr_client, settings):
    settings.IMPORT_MAX_BYTES = 100_000
    big = b"x" * 300_000

    response = hr_client.post(reverse("import_upload"), {"file": SimpleUploadedFile("export.csv", big)})

    assert response.status_code == 413
