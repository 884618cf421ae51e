"""A manager answers several witness requests at once on a phone (issue #15), with axe-core at 360 px."""

import pytest
from django.urls import reverse

from eed.ceremonies import services
from eed.enums import WitnessAnswer
from eed.models import Appointment
from tests.browser.conftest import PHONE, axe_check, screenshot, sign_in
from tests.eed.ceremony_day import ceremony_on, newcomer

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_declines_two_requests_at_once_on_a_phone(context, live_server, page, hr, manager):
    ceremony = ceremony_on(14, capacity=6, place="Provinciehuis, zaal 2")
    people = [
        newcomer(manager, given_names=name, surname=surname, started_days_ago=5)
        for name, surname in (("Sem", "Visser"), ("Lotte", "Bakker"), ("Noor", "Jansen"))
    ]
    appointments = [services.appointment_assign(newcomer=p, ceremony=ceremony, by=hr)[0] for p in people]
    sign_in(context, live_server, manager)
    page.set_viewport_size(PHONE)

    page.goto(reverse("witness_requests"))
    assert page.locator('input[name="appointment"]').count() == 3
    page.get_by_label("Sem Visser").check()
    page.get_by_label("Lotte Bakker").check()
    page.get_by_label("Collega die uw plaats kan innemen").fill("Piet de Vries")
    axe_check(page, "witness requests, two ticked [phone]")
    screenshot(page, "i-witness-answer-many-phone")
    page.get_by_role("button", name="Afzeggen").click()

    assert "U heeft 2 verzoeken afgezegd." in page.locator("main").inner_text()
    answers = {
        a.newcomer.given_names: a.witness_answer
        for a in Appointment.objects.filter(pk__in=[a.pk for a in appointments])
    }
    assert answers == {"Sem": WitnessAnswer.DECLINED, "Lotte": WitnessAnswer.DECLINED, "Noor": WitnessAnswer.PENDING}
    assert page.locator('input[name="appointment"]').count() == 1
    axe_check(page, "witness requests after declining two [phone]")
    screenshot(page, "i-witness-answer-many-done-phone")
