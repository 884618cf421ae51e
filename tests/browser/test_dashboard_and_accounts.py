"""A manager on a phone goes from the dashboard to answering a witness request; HR runs the Accounts page at 1280 px;
a sworn newcomer opens their link on a phone.

axe-core on every page passed (WCAG 2.1 A and AA); screenshots under test-output/screenshots (h-*).
"""

import re

import pytest
from django.urls import reverse

from eed.ceremonies import services
from eed.models import Appointment, Certificate
from onboarding.accounts.services import user_invite
from onboarding.enums import Role
from onboarding.models import User
from tests.browser.conftest import DESKTOP, PHONE, axe_check, screenshot, sign_in
from tests.eed.ceremony_day import ceremony_on, newcomer, record, taken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_on_a_phone_answers_a_witness_request_from_the_dashboard(browser, live_server, hr, manager):
    ceremony = ceremony_on(14, place="Provinciehuis, zaal 2")
    people = [newcomer(manager, given_names=name, surname="Jansen") for name in ("Anna", "Bram", "Cor")]
    for person in people:
        services.appointment_assign(newcomer=person, ceremony=ceremony, by=hr, witness=manager)
    newcomer(manager, given_names="Dirk", surname="Overtijd", started_days_ago=90)

    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="nl-NL")
    try:
        sign_in(context, live_server, manager)
        page = context.new_page()
        page.goto(reverse("dashboard"))
        heading = page.locator("main h2").first
        assert heading.inner_text() == "3 getuigeverzoeken wachten op uw antwoord"
        assert page.locator("#needing-action-heading").inner_text() == "Voor 1 nieuwkomer is actie van u nodig"
        no_sideways_scroll(page)
        axe_check(page, "manager dashboard [phone]")
        screenshot(page, "h-manager-dashboard-phone")

        page.get_by_role("link", name="Antwoorden voor Anna Jansen").click()
        page.wait_for_url(re.compile(r"/witness-requests/\d+/$"))
        axe_check(page, "witness answer [phone]")
        page.check("input[name=answer][value=confirm]")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").last.click()
        axe_check(page, "witness requests after answering [phone]")

        page.goto(reverse("dashboard"))
        assert page.locator("main h2").first.inner_text() == "2 getuigeverzoeken wachten op uw antwoord"
        assert page.get_by_role("link", name="Antwoorden voor Anna Jansen").count() == 0
        axe_check(page, "manager dashboard after answering [phone]")
        screenshot(page, "h-manager-dashboard-phone-after")
    finally:
        context.close()
    answered = Appointment.objects.get(newcomer=people[0], ended_at__isnull=True)
    assert answered.witness_answer == "confirmed"


def test_hr_lists_accounts_deactivates_one_and_resends_an_invitation(browser, live_server, hr, manager, officiant):
    UserFactory(email="beide@example.org", first_name="Bo", last_name="Beide", roles=["Manager", "Officiant"])
    invited = user_invite(email="nieuw@example.org", by=hr, roles=[Role.MANAGER], first_name="Nina", last_name="Nieuw")

    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="nl-NL")
    try:
        sign_in(context, live_server, hr)
        page = context.new_page()
        page.goto(reverse("dashboard"))
        with page.expect_navigation():
            page.locator("nav.site-nav").get_by_role("link", name="Accounts").click()
        assert page.url.endswith(reverse("user_list"))
        axe_check(page, "accounts [desktop]")
        screenshot(page, "h-accounts")

        row = page.locator("tbody tr", has_text=manager.email)
        with page.expect_navigation():
            row.get_by_role("button", name=re.compile("^Deactiveren")).click()
        assert page.locator(".messages").inner_text() == f"{manager.email} kan niet meer inloggen."
        assert not User.objects.get(pk=manager.pk).is_active
        axe_check(page, "accounts after deactivating [desktop]")

        row = page.locator("tbody tr", has_text=invited.email)
        with page.expect_navigation():
            row.get_by_role("button", name=re.compile("^Uitnodiging opnieuw sturen")).click()
        assert "nieuwe uitnodiging" in page.locator(".messages").inner_text()
        screenshot(page, "h-accounts-after-actions")

        with page.expect_navigation():
            page.get_by_role("link", name="Collega uitnodigen").first.click()
        assert page.url.endswith(reverse("user_invite"))
        axe_check(page, "invite [desktop]")
    finally:
        context.close()


def test_after_the_ceremony_the_newcomers_link_shows_the_record_and_whom_to_ask(browser, live_server, hr, manager):
    ceremony = ceremony_on(-1, place="Provinciehuis, zaal 3")
    person = newcomer(manager, given_names="Sanne", surname="Visser")
    appointment, raw = services.appointment_assign(newcomer=person, ceremony=ceremony, by=hr, witness=manager)
    services.appointment_newcomer_choose(appointment=appointment, form="affirmation")
    record(ceremony, hr, [taken(appointment, form="affirmation")])
    number = Certificate.objects.get(appointment=appointment).number

    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(reverse("newcomer_link", args=[raw]))
        assert number in page.locator("main").inner_text()
        assert page.locator("footer a[href^='mailto:']").count() == 1
        no_sideways_scroll(page)
        axe_check(page, "newcomer link after the ceremony [phone]")
        screenshot(page, "h-newcomer-sworn-phone")
        page.goto(reverse("newcomer_link", args=["x" * 43]))
        assert page.locator("main a[href^='mailto:']").count() == 1
        axe_check(page, "newcomer link invalid [phone]")
        screenshot(page, "h-link-invalid-phone")
    finally:
        context.close()


def no_sideways_scroll(page) -> None:
    """Nothing on the page is wider than the phone (WCAG 1.4.10 reflow)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px screen"
