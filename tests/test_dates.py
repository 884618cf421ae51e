"""Dates the Dutch way, one format per kind of place (config/formats, README: Translations)."""

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import formats, timezone, translation

from core.dates import ceremony_moment, table_date, text_date
from eed.dilemma.services import dilemma_session_create
from eed.enums import DilemmaSetting
from tests.factories import CeremonyFactory

DAY = datetime.date(2021, 1, 12)  # a Tuesday
MOMENT = timezone.make_aware(datetime.datetime(2021, 1, 12, 10, 0))
NAMES = (
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "WEEKDAY_DATE_FORMAT",
    "WEEKDAY_DATETIME_FORMAT",
    "TIME_FORMAT",
)
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@pytest.mark.parametrize(
    ("language", "table", "text", "moment"),
    [
        ("nl", "12-01-2021 10:00", "dinsdag 12 januari 2021, 10:00", "di 12 jan. 2021 10:00"),
        ("en", "12-01-2021 10:00", "Tuesday 12 January 2021, 10:00", "Tue 12 Jan 2021 10:00"),
    ],
)
def test_each_kind_of_place_has_one_format(language, table, text, moment):
    with translation.override(language):
        assert (table_date(MOMENT), text_date(MOMENT), ceremony_moment(MOMENT)) == (table, text, moment)
        assert table_date(DAY) == table.split()[0]
        assert text_date(DAY) == text.split(",")[0]


def test_dutch_month_abbreviations_carry_their_dot_and_may_has_none():
    with translation.override("nl"):
        months = [formats.date_format(datetime.date(2021, month, 1), "WEEKDAY_DATE_FORMAT") for month in (1, 3, 5, 9)]
    assert months == ["vr 1 jan. 2021", "ma 1 mrt. 2021", "za 1 mei 2021", "wo 1 sep. 2021"]


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_language_has_every_format(language):
    """A name a language's module lacks would be printed as a format string ("WEEKDAY_DATE_FORMAT")."""
    with translation.override(language):
        rendered = {name: formats.date_format(MOMENT, name) for name in NAMES}
    assert [name for name, text in rendered.items() if "FORMAT" in text] == []


def test_templates_name_the_formats_instead_of_spelling_them():
    spelled = re.compile(r'\|date:"(?!(?:' + "|".join(NAMES) + ')")[^"]*"')
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group()}"
        for path in sorted(TEMPLATES.rglob("*.*"))
        for match in spelled.finditer(path.read_text(encoding="utf-8"))
        if path.name != "newcomer_table.html"  # its cells spell the table format, "d-m-Y", for speed
    ]
    assert found == []


def test_a_template_date_renders_the_kind_it_names():
    template = Template('{{ t|date:"WEEKDAY_DATETIME_FORMAT" }} / {{ t|date }} / {{ t|date:"SHORT_DATE_FORMAT" }}')
    with translation.override("nl"):
        rendered = template.render(Context({"t": MOMENT}))
    assert rendered == "di 12 jan. 2021 10:00 / dinsdag 12 januari 2021 / 12-01-2021"


@pytest.mark.django_db
def test_the_ceremony_list_says_jan_with_a_lower_case_and_a_dot(hr_client):
    CeremonyFactory(starts_at=MOMENT, ends_at=MOMENT + datetime.timedelta(hours=1))

    html = hr_client.get(reverse("ceremony_list"), {"when": "past"}).content.decode()

    assert "di 12 jan. 2021 10:00" in html
    assert "Jan 2021" not in html


@pytest.mark.django_db
def test_the_dilemma_list_shows_one_date_format_and_the_ceremony_moment(hr_client, hr):
    ceremony = CeremonyFactory(starts_at=MOMENT, ends_at=MOMENT + datetime.timedelta(hours=1), place="Provinciehuis")
    fields = {"facilitator": "Eva", "notes": "", "team_name": "", "participants": 12}
    dilemma_session_create(by=hr, date=DAY, setting=DilemmaSetting.CEREMONY, ceremony=ceremony, **fields)
    fields["team_name"] = "Team Wegen"
    dilemma_session_create(by=hr, date=datetime.date(2021, 3, 2), setting=DilemmaSetting.TEAM, ceremony=None, **fields)

    html = hr_client.get(reverse("dilemma_session_list")).content.decode()
    with time_machine.travel(MOMENT + datetime.timedelta(days=7)):  # the form offers recent ceremonies only
        form = hr_client.get(reverse("dilemma_session_create")).content.decode()

    assert "12-01-2021" in html and "02-03-2021" in html
    assert "di 12 jan. 2021 10:00, Provinciehuis" in html
    assert "di 12 jan. 2021 10:00, Provinciehuis" in form
    assert "Jan 2021" not in html + form and "12-01-2021 10:00" not in html + form
