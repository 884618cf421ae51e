"""The annual figures chart with real figures: small multiples a reader takes in at a glance, passing axe."""

import datetime

import pytest
from django.urls import reverse

from eed.enums import DilemmaSetting
from eed.models import DilemmaSession
from tests.browser.conftest import PHONE, axe_widths, screenshot, sign_in
from tests.eed.annual_history import history_2021_2022
from tests.factories import OfficiantFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_chart_has_a_panel_per_kind_with_every_bar_labelled_and_passes_axe(context, page, live_server, hr, mailbox):
    history_2021_2022(hr=hr, officiant=OfficiantFactory(griffie=True).user, mailbox=mailbox)
    DilemmaSession.objects.create(
        date=datetime.date(2022, 9, 1), setting=DilemmaSetting.TEAM, team_name="Wegen", participants=1234
    )
    sign_in(context, live_server, hr)

    page.goto(f"{reverse('annual_counts')}?year=2022")

    chart = page.locator("figure.chart svg")
    assert chart.get_attribute("role") == "img"
    labels = chart.locator("text").all_text_contents()
    assert {"Medewerkers", "Trainees", "Griffiemedewerkers"} <= set(labels)
    assert labels.count("2022") == 1 and "3" in labels  # the years once, 2022's employees on their bar
    box = chart.bounding_box()
    assert box["width"] > 400 and box["height"] > 100
    assert page.locator("#figures td.number", has_text="1.276").count() == 2  # team and total players
    axe_widths(page, "annual figures with a chart (nl)")
    screenshot(page, "annual-figures-chart")
    page.set_viewport_size(PHONE)
    screenshot(page, "annual-figures-chart-phone")
