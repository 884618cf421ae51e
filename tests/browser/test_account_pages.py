"""HR gives an existing account a role only after seeing it; a manager reads why their address is HR's to change."""

import pytest
from django.urls import reverse

from tests.browser.conftest import PHONE, axe_widths_violations, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_hr_sees_the_existing_account_and_confirms_the_role(page, context, live_server, hr, manager):
    sign_in(context, live_server, hr)
    page.goto(reverse("user_invite"))
    page.fill("input[name=email]", manager.email)
    page.check("input[name=roles][value=HR]")
    page.click("main button[type=submit]")

    warning = page.locator("#existing-heading")
    assert warning.is_visible()
    assert "Mehmet Yilmaz (manager@example.org)" in page.inner_text("main")
    assert page.inner_text("main button[type=submit]") == "Rollen toevoegen"
    found = axe_widths_violations(page, "invite: existing account")
    screenshot(page, "t-invite-existing-account-nl")
    assert found == []
    assert not manager.groups.filter(name="HR").exists()

    page.click("main button[type=submit]")

    assert page.locator(".message--success").is_visible()
    assert manager.groups.filter(name="HR").exists()


def test_a_manager_on_a_phone_reads_that_hr_changes_addresses(page, context, live_server, manager):
    sign_in(context, live_server, manager)
    page.set_viewport_size(PHONE)
    page.goto("/accounts/email/")

    text = page.inner_text("main")
    assert "manager@example.org" in text
    assert "Vraag HR" in text
    assert page.locator("main form").count() == 0
    found = axe_widths_violations(page, "e-mail address page")
    screenshot(page, "t-account-email-phone-nl")
    assert found == []
