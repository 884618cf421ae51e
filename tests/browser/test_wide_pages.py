"""Two pages that used to outgrow a 1280 px screen: the import preview (its problems off to the right) and the
planner (one long reason per person, wrapped a word a line). At desktop width, in Chromium, with axe."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from onboarding.imports.services import import_batch_upload
from tests.browser.conftest import DESKTOP, axe_widths, screenshot, sign_in
from tests.factories import NewcomerFactory
from tests.onboarding.test_import import csv_bytes, row

pytestmark = pytest.mark.django_db(transaction=True)

LONG = "medewerker.met.een.heel.lange.naam@afdeling-ruimte-en-mobiliteit.zuid-holland.example.org"
# How far each problem's text reaches past what its scroll box shows (0 when all of it is in view).
OUT_OF_VIEW = """
selector => [...document.querySelectorAll(selector)].map(el => {
    const box = el.closest('.table-scroll') || document.documentElement;
    const shown = box.getBoundingClientRect();
    const r = el.getBoundingClientRect();
    return Math.max(0, r.right - Math.min(shown.right, window.innerWidth), Math.min(shown.left, 0) - r.left);
})
"""


def page_size(page) -> dict:
    return page.evaluate(
        "() => ({width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight})"
    )


def test_the_import_preview_shows_each_problem_beside_the_name_at_1280_px(page, context, live_server, hr):
    rows = [
        row(number=f"P{n}", given="Anna", surname=f"Jansen{n}", email=LONG, manager=LONG, start="01-03-2026")
        for n in range(6)
    ]
    rows += [
        row(number="P10", given="Bram", surname="Bakker", email=LONG, manager=LONG, start="31-02-2026"),
        row(number="P11", given="Cem", surname="Çelik", email="geen-adres", manager=LONG, kind="zzp'er"),
        row(number="P12", given="Dirk", surname="", email=LONG, manager=LONG, start="gisteren"),
    ]
    batch = import_batch_upload(content=csv_bytes(rows), filename="hr-export.csv", by=hr)
    sign_in(context, live_server, hr)

    page.goto(reverse("import_preview", args=[batch.pk]))
    screenshot(page, "w-import-preview-problems")

    assert page.viewport_size == DESKTOP
    problems = page.locator("#rows .row-problems li")
    assert problems.count() >= 4, "every problem of the three rows is listed in the rows table"
    for name in ("Bram Bakker", "Cem Çelik"):
        assert page.locator("#rows tr", has_text=name).locator(".row-problems li").count() >= 1
    assert (
        page.evaluate(OUT_OF_VIEW, "#rows .row-problems li, #problems td")
        == [0] * page.locator("#rows .row-problems li, #problems td").count()
    )
    assert page_size(page)["width"] <= DESKTOP["width"], "the page itself does not scroll sideways"
    axe_widths(page, "import preview with problems")


def test_the_planner_groups_the_people_a_reason_keeps_out_into_a_page_of_sensible_length(
    page, context, live_server, hr
):
    today = timezone.localdate()
    sentence_long = [  # no ceremony at all: nobody who still has time can be placed
        NewcomerFactory(given_names=f"Persoon{n}", surname="Wachtend", start_date=today - datetime.timedelta(days=n))
        for n in range(20)
    ]
    overdue = [
        NewcomerFactory(given_names=f"Laat{n}", surname="Verlopen", start_date=today - datetime.timedelta(days=90 + n))
        for n in range(3)
    ]
    sign_in(context, live_server, hr)

    page.goto(reverse("planner"))
    screenshot(page, "w-planner-grouped-reasons")

    main = page.locator("#unplaced")
    assert main.get_by_text("Wachtend").count() == len(sentence_long)
    assert main.get_by_text("Verlopen").count() == len(overdue)
    headings = page.locator("main .reason-group h3")
    assert headings.count() == 2, "one sentence per reason, not one per person"
    size = page_size(page)
    assert size["width"] <= DESKTOP["width"]
    assert size["height"] < 3000, f"{size['height']} px for 23 people"
    axe_widths(page, "planner with people who cannot be placed")
