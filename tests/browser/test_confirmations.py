"""HR confirms before a change others feel (issue #15 item 8), in a real browser at 1280 px, with axe-core.

Moving a newcomer planned in another ceremony and taking them out of a ceremony each show what will
happen first; a ceremony at the time of another with the same officiant is saved only once confirmed.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from eed.ceremonies import services
from eed.models import Ceremony
from tests.browser.conftest import axe_check, screenshot, sign_in
from tests.eed.ceremony_day import assign, ceremony_on, newcomer

pytestmark = pytest.mark.django_db(transaction=True)


def current_ceremony(person) -> int | None:
    return person.appointments.filter(ended_at__isnull=True).values_list("ceremony_id", flat=True).first()


def test_hr_moves_a_newcomer_after_confirming_and_removes_them_after_confirming(
    context, live_server, page, hr, manager
):
    first = ceremony_on(10, place="Provinciehuis, zaal 1")
    second = ceremony_on(17, officiant=first.officiant, place="Provinciehuis, zaal 2")
    person = newcomer(manager, given_names="Sanne", surname="Visser", email="sanne@example.org", started_days_ago=5)
    services.witness_answer(appointment=assign(first, person, hr), by=manager, confirm=True)
    sign_in(context, live_server, hr)

    page.goto(reverse("ceremony_detail", args=[second.pk]))
    page.check(f"#add-{person.pk}")
    with page.expect_navigation():
        page.locator("form[action$='/add/'] button[type=submit]").click()
    main = page.locator("main").inner_text()
    assert "Sanne Visser" in page.locator("main h1").inner_text()
    assert "Provinciehuis, zaal 1" in main and "10:00\u201311:00" in main and "Bevestigd" in main
    assert current_ceremony(person) == first.pk  # nothing moved yet
    axe_check(page, "move confirmation")
    screenshot(page, "h-move-confirmation")

    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/ceremonies/{second.pk}/$"))
    assert current_ceremony(person) == second.pk

    appointment = person.appointments.get(ended_at__isnull=True)
    with page.expect_navigation():
        page.locator(f"main a[href='{reverse('appointment_remove', args=[appointment.pk])}']").click()
    assert "Sanne Visser" in page.locator("main h1").inner_text()
    assert current_ceremony(person) == second.pk  # the link only asks
    axe_check(page, "remove confirmation")
    screenshot(page, "h-remove-confirmation")
    page.fill("#id_reason", "Start later dan gepland")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/ceremonies/{second.pk}/$"))
    assert current_ceremony(person) is None
    axe_check(page, "ceremony after removing")


def test_hr_is_warned_of_a_ceremony_at_the_same_time_and_saves_it_anyway(context, live_server, page, hr):
    first = ceremony_on(14, place="Provinciehuis, zaal 1")
    sign_in(context, live_server, hr)
    day = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()

    page.goto(reverse("ceremony_create"))
    page.fill("#id_starts_at", f"{day}T10:30")
    page.fill("#id_ends_at", f"{day}T11:30")
    page.fill("#id_place", "Provinciehuis, zaal 4")
    page.select_option("#id_officiant", str(first.officiant_id))
    page.fill("#id_capacity", "10")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    assert page.locator(f"#overlaps a[href='{reverse('ceremony_detail', args=[first.pk])}']").count() == 1
    assert Ceremony.objects.count() == 1
    axe_check(page, "ceremony form with overlap warning")
    screenshot(page, "h-overlap-warning")

    page.check("#id_overlap_confirmed")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/ceremonies/\d+/$"))
    assert Ceremony.objects.count() == 2
