"""A small held history for the annual figures (and retention): 2021 and 2022 ceremonies, a declaration."""

import datetime
from zoneinfo import ZoneInfo

import time_machine

from eed.ceremonies import services
from eed.enums import DilemmaSetting
from eed.models import DilemmaSession
from eed.proofs.attendance import AttendanceRow, ceremony_record_attendance
from onboarding.declarations.services import declaration_sign
from tests.factories import CeremonyFactory, NewcomerFactory
from tests.onboarding.declaration_support import send_link

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def hold(*, day, people, forms, officiant, hr, absent=(), at=datetime.time(10)):
    """A ceremony on ``day`` at ``at`` where ``people`` were assigned; those in ``absent`` did not come."""
    starts = datetime.datetime.combine(day, at, tzinfo=AMSTERDAM)
    ceremony = CeremonyFactory(
        officiant=officiant, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1), capacity=len(people)
    )
    appointments = [
        services.appointment_assign(newcomer=person, ceremony=ceremony, by=hr, late_reason="demo")[0]
        for person in people
    ]
    rows = [
        AttendanceRow(appointment_id=a.pk, outcome="absent")
        if a.newcomer in absent
        else AttendanceRow(appointment_id=a.pk, outcome="taken", form_used=form, witness_present_name="A. Getuige")
        for a, form in zip(appointments, forms, strict=True)
    ]
    ceremony_record_attendance(ceremony=ceremony, by=hr, rows=rows)
    return ceremony


def newcomers(count, *, kind="employee", start=datetime.date(2022, 1, 3)):
    return [
        NewcomerFactory(
            kind=kind, start_date=start, appointing_body="griffie" if kind == "griffie" else "civil_service"
        )
        for _ in range(count)
    ]


def history_2021_2022(*, hr, officiant, mailbox):
    """2022: 3 employees, 2 trainees, 1 griffie sworn (one employee late), one absent; 2021: 1 employee."""
    employees = newcomers(4)
    trainees = newcomers(2, kind="trainee")
    griffie = newcomers(1, kind="griffie")
    hold(
        day=datetime.date(2022, 2, 15),
        people=[*employees[:2], *trainees, *griffie, employees[3]],
        forms=["oath", "affirmation", "affirmation", "oath", "oath", ""],
        officiant=officiant,
        hr=hr,
        absent=[employees[3]],
    )
    hold(day=datetime.date(2022, 5, 10), people=[employees[2]], forms=["affirmation"], officiant=officiant, hr=hr)
    hold(
        day=datetime.date(2021, 3, 2),
        people=newcomers(1, start=datetime.date(2021, 2, 1)),
        forms=["oath"],
        officiant=officiant,
        hr=hr,
    )
    DilemmaSession.objects.create(
        date=datetime.date(2022, 2, 15),
        setting=DilemmaSetting.TEAM,
        team_name="Wegen",
        facilitator="X",
        participants=12,
    )
    DilemmaSession.objects.create(
        date=datetime.date(2022, 9, 1),
        setting=DilemmaSetting.TEAM,
        team_name="Natuur",
        facilitator="X",
        participants=30,
    )
    DilemmaSession.objects.create(
        date=datetime.date(2021, 9, 1),
        setting=DilemmaSetting.TEAM,
        team_name="Griffie",
        facilitator="X",
        participants=5,
    )
    external = NewcomerFactory(kind="external", start_date=datetime.date(2022, 3, 1))
    signed_on = datetime.datetime(2022, 3, 2, 9, tzinfo=AMSTERDAM)
    with time_machine.travel(signed_on, tick=False):
        token = send_link(external, mailbox=mailbox)
        declaration_sign(
            raw_token=token, typed_name=external.full_name, confirmed=True, ip="127.0.0.1", user_agent="test"
        )
    return employees
