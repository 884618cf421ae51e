"""403, 404 and 500 in the site's layout and the user's language, each with a way back; a favicon."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory
from django.urls import include, path, reverse
from django.utils import translation
from django.views import defaults

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("a bug")


# The project's URLs plus a view that fails, for the tests marked with this module as URLconf.
urlpatterns = [path("boom/", boom), path("", include("config.urls"))]


def test_a_manager_opening_the_planner_gets_the_dutch_403_page_with_a_way_back(manager_client):
    response = manager_client.get(reverse("planner"))

    html = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="nl">' in html and 'class="site-header"' in html and 'class="site-nav"' in html
    assert "<h1>U hebt geen toegang tot deze pagina</h1>" in html
    assert f'<a href="{reverse("dashboard")}">Terug naar het overzicht</a>' in html
    assert "403 Forbidden" not in html


def test_the_403_page_speaks_the_users_language(manager_client, manager):
    manager.language = "en"
    manager.save(update_fields=["language"])

    html = manager_client.get(reverse("planner")).content.decode()

    assert '<html lang="en">' in html and "You have no access to this page" in html


@pytest.mark.parametrize("signed_in", [True, False])
def test_an_unknown_address_gets_the_dutch_404_page_with_a_way_back(hr_client, signed_in):
    client = hr_client if signed_in else Client()

    response = client.get("/bestaat-niet/")

    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="nl">' in html and 'class="site-header"' in html
    assert "<h1>Pagina niet gevonden</h1>" in html
    assert "Terug naar het overzicht" in html
    assert ('class="site-nav"' in html) is signed_in


@pytest.mark.urls(__name__)
def test_an_error_gets_the_500_page_in_the_layout_and_the_language(hr_client, hr):
    hr_client.raise_request_exception = False

    response = hr_client.get("/boom/")

    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="nl">' in html and 'class="site-header"' in html
    assert "<h1>Er ging iets mis</h1>" in html and '<a href="/">Terug naar het overzicht</a>' in html
    assert "a bug" not in html and "Traceback" not in html


def test_the_500_page_renders_without_a_request_context():
    """Django renders it with no context processors: nothing in it may need the request, user or database."""
    request = RequestFactory().get("/")
    with translation.override("en"):
        response = defaults.server_error(request)

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_every_page_links_the_favicon_and_it_is_a_static_file(hr_client):
    html = hr_client.get(reverse("dashboard")).content.decode()

    assert 'rel="icon" href="/static/favicon.svg" type="image/svg+xml"' in html
    assert 'rel="icon" href="/static/favicon.ico"' in html
    for name in ("favicon.svg", "favicon.ico"):
        assert finders.find(name), name
    assert "<svg" in Path(finders.find("favicon.svg")).read_text(encoding="utf-8")


def test_whitenoise_serves_the_favicon(settings, tmp_path):
    settings.MIDDLEWARE = ["whitenoise.middleware.WhiteNoiseMiddleware", *settings.MIDDLEWARE]
    settings.STATIC_ROOT, settings.WHITENOISE_USE_FINDERS = tmp_path, True  # production serves collectstatic's copy

    response = Client().get("/static/favicon.svg")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")


@pytest.mark.django_db
def test_every_page_title_names_the_page_then_the_product(client, hr_client):
    login = client.get(reverse("account_login")).content.decode()
    dashboard = hr_client.get(reverse("dashboard")).content.decode()

    assert "<title>Inloggen · Eed en onboarding</title>" in login
    assert "<title>Overzicht · Eed en onboarding</title>" in dashboard
