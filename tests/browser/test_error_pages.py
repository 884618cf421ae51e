"""The 403 and 404 pages on a phone: the site's layout, Dutch, a way back that works, no axe violation."""

import pytest
from django.urls import reverse

from tests.browser.conftest import PHONE, axe_violations, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _check_and_go_back(page, label: str, heading: str) -> list[str]:
    """The page shows ``heading`` in Dutch; its axe violations; then its way back leads to the overview."""
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.inner_text("main h1") == heading
    found = axe_violations(page, f"{label} [phone]")
    screenshot(page, f"t-error-{label}-phone-nl")
    with page.expect_navigation():
        page.get_by_role("link", name="Terug naar het overzicht").click()
    return found


def test_a_manager_on_a_phone_meets_the_403_and_404_pages_and_finds_the_way_back(page, context, live_server, manager):
    sign_in(context, live_server, manager)
    page.set_viewport_size(PHONE)
    found = []

    response = page.goto(reverse("planner"))
    assert response.status == 403
    found += _check_and_go_back(page, "403", "U hebt geen toegang tot deze pagina")
    assert page.url == live_server.url + reverse("dashboard")

    response = page.goto("/nieuwkomers/999999/bestaat-niet/")
    assert response.status == 404
    found += _check_and_go_back(page, "404", "Pagina niet gevonden")
    assert page.url == live_server.url + reverse("dashboard")

    assert found == [], "axe violations:\n" + "\n".join(found)


def test_someone_not_signed_in_gets_the_404_page_in_the_layout(page):
    page.set_viewport_size(PHONE)

    response = page.goto("/bestaat-niet/")

    assert response.status == 404
    found = _check_and_go_back(page, "404-anonymous", "Pagina niet gevonden")
    assert "/accounts/login/" in page.url
    assert found == [], "axe violations:\n" + "\n".join(found)
