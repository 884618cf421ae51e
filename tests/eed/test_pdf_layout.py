"""The ceremony PDFs keep long names and long Dutch words whole, in the house style; the annual figures
PDF shows every year of its chart, in the Dutch number format, on the page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from core.pdf_house import OrganisationData
from eed.counts.pdf import counts_pdf
from eed.counts.report import chart_bars, figure_rows
from eed.enums import DilemmaSetting
from eed.models import DilemmaSession
from eed.proofs.attendance_pdf import AttendanceListData, AttendanceRow, attendance_list_pdf
from eed.proofs.pdf import ProofData, proof_pdf
from tests.eed.annual_history import AMSTERDAM, history_2021_2022
from tests.eed.ceremony_day import assign, ceremony_on, newcomer, pdf_text, record, taken
from tests.factories import OfficiantFactory
from tests.pdf_reading import broken_words, inked_beyond, pdf_words, render_pages

pytestmark = pytest.mark.django_db

LONG_NAME = "Maximiliaan van den Heuvel-Oudshoorn"
ORGANISATION = OrganisationData(name="Provincie Zuid-Holland", address="Zuid-Hollandplein 1, 2596 AW Den Haag")


def test_the_held_attendance_list_prints_afgelegd_and_long_names_whole(hr, manager, hr_client):
    ceremony = ceremony_on(-1)
    people = [
        newcomer(manager, given_names="Maximiliaan", surname_prefix="van den", surname="Heuvel-Oudshoorn"),
        newcomer(manager, given_names="Zoë", surname="Çelik"),
    ]
    first, second = (assign(ceremony, person, hr, form="affirmation") for person in people)
    record(
        ceremony,
        hr,
        [
            taken(first, form="affirmation", witness_name="Zoë Çelik"),
            taken(second, form="oath", witness_name=LONG_NAME),
        ],
    )

    pdf = hr_client.get(reverse("ceremony_attendance_pdf", args=[ceremony.pk])).content

    assert pdf_words(pdf).count("Afgelegd") == 2
    assert (
        broken_words(pdf, "Afgelegd", "Belofte", "Ondertekening", "Naam en personeelsnummer", LONG_NAME, "Zoë Çelik")
        == []
    )
    assert all(person.personnel_number in pdf_words(pdf) for person in people)
    assert pdf_text(pdf).startswith("Provincie Zuid-Holland Zuid-Hollandplein 1")  # the house header
    render_pages(pdf, "attendance-held")


def test_long_dutch_words_in_every_column_of_the_attendance_list_stay_whole():
    """Long compounds in the name, form and witness columns: the type steps down rather than split one."""
    words = "Organisatieonderdeel Functieomschrijving Personeelsadministratie"
    rows = [
        AttendanceRow(
            name=f"Heuvel-Oudshoorn, {words}",
            personnel_number="1234567890",
            form="Belofte afgelegd",
            witness=f"{LONG_NAME} {words}",
            outcome="Functieomschrijving",
        ),
        AttendanceRow(name="Çelik, Zoë", personnel_number="42", form="Eed", witness="Zoë Çelik"),
    ]
    data = AttendanceListData(
        organisation=ORGANISATION,
        language="nl",
        starts_at=datetime.datetime(2026, 12, 8, 10, tzinfo=AMSTERDAM),
        place="Statenzaal",
        officiant_name="Anna-Catharina van Oldenbarnevelt",
        officiant_function="Provinciesecretaris",
        rows=rows,
    )

    pdf = attendance_list_pdf(data)

    assert broken_words(pdf, words, "Belofte afgelegd", LONG_NAME, "Zoë Çelik", "Naam en personeelsnummer") == []
    pages = render_pages(pdf, "attendance-long-words")
    assert not any(inked_beyond(page, right_mm=19) for page in pages), "nothing may reach into the right margin"


def test_the_proof_keeps_long_names_whole_under_the_organisations_header():
    proof = ProofData(
        organisation=ORGANISATION,
        language="nl",
        form="affirmation",
        formula_title="Belofte",
        formula="Ik beloof dat ik mij zal gedragen zoals een goed ambtenaar betaamt.",
        closing_words="Dat verklaar en beloof ik!",
        formula_version=1,
        full_name=LONG_NAME,
        date=datetime.date(2026, 12, 8),
        place="Den Haag",
        officiant_name="Anna-Catharina van Oldenbarnevelt",
        officiant_function="Provinciesecretaris Organisatieonderdeel",
        witness_name="Zoë Çelik",
        number="PZH-2026-0001",
        verification_url="https://eed.example.org/v/abc/",
    )

    pdf = proof_pdf(proof)

    assert broken_words(pdf, LONG_NAME, "Zoë Çelik", "Organisatieonderdeel", "Provinciesecretaris") == []
    assert pdf_text(pdf).startswith("Provincie Zuid-Holland Zuid-Hollandplein 1, 2596 AW Den Haag Bewijs van belofte")
    render_pages(pdf, "proof-long-name")


@pytest.fixture
def years_2022(hr, mailbox):
    """The 2021-2022 history, and a team session in 2022 with a four-figure number of players."""
    history_2021_2022(hr=hr, officiant=OfficiantFactory(griffie=True).user, mailbox=mailbox)
    DilemmaSession.objects.create(
        date=datetime.date(2022, 9, 1),
        setting=DilemmaSetting.TEAM,
        team_name="Organisatieonderdeel Wegen",
        participants=1234,
    )


def test_the_annual_figures_pdf_shows_every_chart_year_in_dutch_numbers_on_the_page(hr_client, years_2022):
    pdf = hr_client.get(reverse("annual_counts"), {"year": 2022, "export": "pdf"}).content

    words = pdf_words(pdf)
    assert all(str(year) in words for year in range(2018, 2023))
    assert "1.276" in words  # 42 + 1,234 team players, in the Dutch way
    assert "83,3" in words  # the share sworn on time, with a decimal comma
    assert "1276" not in words and "83.3" not in words
    assert "In 2022 legden 3 medewerkers" in pdf_text(pdf)
    assert pdf_text(pdf).startswith("Provincie Zuid-Holland Zuid-Hollandplein 1, 2596 AW Den Haag Eed, belofte")
    assert broken_words(pdf, "Griffiemedewerkers", "Dilemmaspel: deelnemers in totaal") == []
    pages = render_pages(pdf, "annual-figures")
    assert len(pages) == 1
    assert not inked_beyond(pages[0], right_mm=19), "the chart must fit the page, its last year included"


def test_the_chart_gives_each_kind_its_own_scale_and_every_bar_its_figure():
    def year(employees, trainees, griffie):
        total = employees + trainees + griffie
        return {"sworn": {"employee": employees, "trainee": trainees, "griffie": griffie, "total": total}}

    with translation.override("nl"):
        chart = chart_bars({2021: year(1234, 10, 4), 2022: year(182, 5, 0)})

    employees, trainees, griffie = chart["panels"]
    assert [panel["title"] for panel in chart["panels"]] == ["Medewerkers", "Trainees", "Griffiemedewerkers"]
    # Each panel's longest bar is as long as the others': 10 trainees fill their panel as 1,234 employees do theirs.
    assert employees["bars"][0]["width"] == trainees["bars"][0]["width"] == griffie["bars"][0]["width"] > 0
    assert [bar["label"] for bar in employees["bars"]] == ["1.234", "182"]
    assert griffie["bars"][1]["width"] == 0 and griffie["bars"][1]["label"] == "0"
    assert [row["total"] for row in chart["rows"]] == ["1.248", "187"]


def test_the_html_chart_is_labelled_and_its_table_holds_every_year_in_dutch_numbers(hr_client, years_2022):
    html = hr_client.get(reverse("annual_counts"), {"year": 2022}).content.decode()

    chart = html[html.index("<svg") : html.index("</svg>")]
    assert all(title in chart for title in (">Medewerkers<", ">Trainees<", ">Griffiemedewerkers<"))
    assert chart.count("<rect") >= 3 and ">3<" in chart  # 2022's three employees, labelled on their bar
    table = html[html.index("</svg>") :]
    assert all(f'<th scope="row">{year}</th>' in table for year in range(2018, 2023))
    assert '<td class="number">1.276</td>' in html  # the dilemma players in the figures table


def test_the_figures_pdf_from_figures_alone_prints_english_numbers_in_english():
    counts = {
        "year": 2022,
        "sworn": {"employee": 1234, "trainee": 1, "griffie": 1, "total": 1236},
        "by_form": {"oath": 1236, "affirmation": 0},
        "on_time": {"count": 1000, "share": 0.8091},
        "not_sworn_by_deadline": 0,
        "declarations_signed": 0,
        "dilemma_game_participants": {"ceremony": 0, "team": 0, "total": 0},
    }
    counts["previous_year"] = {**counts, "year": 2021}
    with translation.override("en"):
        pdf = counts_pdf(
            title="Figures for 2022",
            organisation="Provincie Zuid-Holland",
            paragraph="In 2022, 1,234 employees took the oath.",
            header=("Figure", "2022", "2021"),
            rows=figure_rows(counts),
            chart=chart_bars({2022: counts}),
            legend="One panel per kind.",
        )

    words = pdf_words(pdf)
    assert "1,234" in words and "80.9" in words and "Page" in words
