"""Work that took too many steps (issue #15 items 1-3), in a real browser at 1280 px, with axe-core.

HR adds several newcomers to a ceremony at once (searching the list, refused as a whole for a late one
without a reason, then added with one reason), and fills in yesterday's attendance sheet with
"Everyone took it", changes the one who was absent, and records it through the review.
"""

import re

import pytest
from django.urls import reverse

from eed.ceremonies import services
from eed.enums import CeremonyState, Outcome
from eed.models import Appointment
from tests.browser.conftest import axe_check, screenshot, sign_in
from tests.eed.ceremony_day import assign, ceremony_on, newcomer

pytestmark = pytest.mark.django_db(transaction=True)


def test_hr_adds_newcomers_in_one_go_and_fills_the_sheet_with_everyone_took_it(
    context, live_server, page, hr, manager, other_manager
):
    ceremony = ceremony_on(14, capacity=6, place="Provinciehuis, zaal 2")
    people = [
        newcomer(manager, given_names="Sem", surname="Visser", started_days_ago=3),
        newcomer(other_manager, given_names="Lotte", surname="Bakker", started_days_ago=20),
        newcomer(manager, given_names="Tom", surname="Telaat", started_days_ago=80),
        newcomer(other_manager, given_names="Noor", surname="Jansen", started_days_ago=10),
    ]
    sign_in(context, live_server, hr)

    page.goto(reverse("ceremony_detail", args=[ceremony.pk]))
    rows = page.locator("#add-list tbody tr")
    assert rows.count() == 4
    assert "Telaat" in rows.first.inner_text() and "te laat" in rows.first.inner_text()  # nearest deadline first
    axe_check(page, "ceremony page with the add list")
    screenshot(page, "i-bulk-add-list")

    page.fill("#add-q", "viss")
    with page.expect_navigation():
        page.locator("form[role=search] button[type=submit]").click()
    assert page.locator("#add-list tbody tr").count() == 1
    axe_check(page, "add list searched")
    with page.expect_navigation():
        page.locator("form[role=search] a").click()
    assert page.locator("#add-list tbody tr").count() == 4

    for person in people[:3]:
        page.check(f"#add-{person.pk}")
    with page.expect_navigation():
        page.locator("form[action$='/add/'] button[type=submit]").click()
    summary = page.locator(".error-summary")
    assert "Tom Telaat" in summary.inner_text() and "Lotte Bakker" not in summary.inner_text()
    assert not Appointment.objects.exists()
    assert all(page.is_checked(f"#add-{person.pk}") for person in people[:3])  # the ticks stay
    axe_check(page, "add refused")
    screenshot(page, "i-bulk-add-refused")

    page.fill("#id_late_reason", "Lang ziek geweest")
    with page.expect_navigation():
        page.locator("form[action$='/add/'] button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/ceremonies/{ceremony.pk}/$"))
    assert "3 nieuwkomers zijn toegevoegd" in page.locator("main").inner_text()
    assert set(Appointment.objects.values_list("newcomer", flat=True)) == {p.pk for p in people[:3]}
    assert page.locator("#add-list tbody tr").count() == 1  # Jansen is still there to add
    axe_check(page, "ceremony after adding three")
    screenshot(page, "i-bulk-added")

    # Yesterday's ceremony: everyone took it, but for Jansen, who was absent.
    yesterday = ceremony_on(-1, place="Provinciehuis, zaal 3")
    sheet = [
        assign(yesterday, newcomer(manager, given_names="Ayşe", surname="Aksoy"), hr, form="affirmation"),
        assign(yesterday, newcomer(other_manager, given_names="Jan", surname="Berg"), hr, form="oath"),
        assign(yesterday, newcomer(manager, given_names="Els", surname="Jansen"), hr, form="oath"),
    ]
    page.goto(reverse("attendance_sheet", args=[yesterday.pk]))
    assert not page.is_checked("input[name='form-0-outcome'][value='taken']")
    axe_check(page, "attendance sheet")
    screenshot(page, "i-sheet")
    with page.expect_navigation():
        page.locator("button[name=fill][value=taken]").click()
    assert all(page.is_checked(f"input[name='form-{index}-outcome'][value='taken']") for index in range(3))
    assert page.is_checked("input[name='form-0-form_used'][value='affirmation']")
    assert page.input_value("#id_form-1-witness_present") == "Olga Bakker (other.manager@example.org)"
    axe_check(page, "attendance sheet, everyone took it")
    screenshot(page, "i-sheet-everyone-took-it")

    page.check("input[name='form-2-outcome'][value='absent']")
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").last.click()
    review = page.locator("main").inner_text()
    assert "Eed of belofte afgelegd: 2 nieuwkomers" in review and "Afwezig: 1 nieuwkomer" in review
    axe_check(page, "attendance review")
    screenshot(page, "i-sheet-review")
    with page.expect_navigation():
        page.locator("button[name=step][value=record]").click()
    page.wait_for_url(re.compile(rf"/ceremonies/{yesterday.pk}/$"))
    yesterday.refresh_from_db()
    assert yesterday.state == CeremonyState.HELD
    outcomes = dict(Appointment.objects.filter(ceremony=yesterday).values_list("pk", "outcome"))
    assert outcomes == {sheet[0].pk: Outcome.TAKEN, sheet[1].pk: Outcome.TAKEN, sheet[2].pk: Outcome.ABSENT}
    axe_check(page, "held ceremony")

    # Sem Visser's manager declined and proposed Olga Bakker: HR finds her filled in as the new witness.
    visser = Appointment.objects.get(newcomer=people[0], ended_at__isnull=True)
    services.witness_answer(appointment=visser, by=manager, confirm=False, substitute="olga bakker")
    page.goto(reverse("witness_replace", args=[visser.pk]))
    assert page.input_value("#id_witness") == "Olga Bakker (other.manager@example.org)"
    axe_check(page, "witness replace with the proposed substitute")
    screenshot(page, "i-witness-replace")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    visser.refresh_from_db()
    assert visser.witness == other_manager
