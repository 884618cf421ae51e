"""Demo history: the ceremonies of 2021 and 2022, held and recorded through the app's services.

Every newcomer registered with a start date in those years goes to the first
ceremony of their appointing body after their start date, the attendance
sheet records them as sworn, and dilemma-game sessions are recorded for the
ceremonies and for teams. The result reproduces the province's published
2022 figures: 182 employees, 10 trainees and 4 griffie staff sworn, and 398
dilemma-game participants.
"""

import datetime

from django.utils import timezone

from eed.ceremonies import services as eed_services
from eed.enums import DilemmaSetting, OathForm, Outcome
from eed.models import Ceremony, DilemmaSession, ProgrammeItem
from eed.proofs.attendance import AttendanceRow, ceremony_record_attendance
from onboarding.enums import AppointingBody, Kind
from onboarding.models import Newcomer, QueuedMail

YEARS = (2021, 2022)
DILEMMA_TOTAL = {2021: 351, 2022: 398}
TEAMS = ["Wegen en Vaarwegen", "Natuur en Recreatie", "Bedrijfsvoering", "Ruimte en Wonen", "Griffie"]


def _ceremony_days(year: int, *, every_days: int) -> list[datetime.date]:
    """Tuesdays through the year (the first after 10 January), every ``every_days`` days, to mid-December."""
    day = datetime.date(year, 1, 10)
    day += datetime.timedelta(days=(1 - day.weekday()) % 7)
    days = []
    while day <= datetime.date(year, 12, 15):
        days.append(day)
        day += datetime.timedelta(days=every_days)
    return days


def _first_fitting_day(newcomer: Newcomer, days: list[datetime.date]) -> datetime.date:
    return next(day for day in days if newcomer.start_date <= day <= newcomer.deadline)


def _hold(*, day, newcomers, officiant, hr, programme, number) -> Ceremony:
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    ceremony = eed_services.ceremony_schedule(
        by=hr,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Provinciehuis, Statenzaal",
        officiant=officiant,
        capacity=max(len(newcomers), 1),
        programme=programme,
    )
    rows = []
    for index, newcomer in enumerate(newcomers):
        appointment, _raw = eed_services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)
        form = OathForm.AFFIRMATION if (number + index) % 5 < 3 else OathForm.OATH
        rows.append(
            AttendanceRow(
                appointment_id=appointment.pk,
                outcome=Outcome.TAKEN,
                form_used=form,
                witness_present=appointment.witness,
                witness_present_name="" if appointment.witness else "Leidinggevende",
            )
        )
    return ceremony_record_attendance(ceremony=ceremony, by=hr, rows=rows)


def _dilemma_sessions(year: int, ceremonies: list[Ceremony], *, hr) -> None:
    played = 0
    for ceremony in ceremonies:
        present = ceremony.appointments.filter(outcome=Outcome.TAKEN).count()
        DilemmaSession.objects.create(
            date=ceremony.day,
            setting=DilemmaSetting.CEREMONY,
            ceremony=ceremony,
            facilitator="Integriteitscoördinator",
            participants=present,
            created_by=hr,
        )
        played += present
    rest = DILEMMA_TOTAL[year] - played
    for index, team in enumerate(TEAMS):
        share = rest // len(TEAMS) + (1 if index < rest % len(TEAMS) else 0)
        DilemmaSession.objects.create(
            date=datetime.date(year, 3 + 2 * index, 12),
            setting=DilemmaSetting.TEAM,
            team_name=team,
            facilitator="Integriteitscoördinator",
            participants=share,
            created_by=hr,
        )


def demo_history(*, users: dict) -> int:
    """Hold and record the 2021 and 2022 ceremonies (once); returns how many were sworn."""
    if Ceremony.objects.filter(starts_at__year__in=YEARS).exists():
        return 0
    hr = users["hr@demo.example.org"]
    officiants = {
        AppointingBody.CIVIL_SERVICE: users["secretaris@demo.example.org"],
        AppointingBody.GRIFFIE: users["griffier@demo.example.org"],
    }
    programme = list(ProgrammeItem.objects.all())
    started_before = timezone.now()
    sworn = 0
    for year in YEARS:
        held = []
        for body, every in ((AppointingBody.CIVIL_SERVICE, 14), (AppointingBody.GRIFFIE, 56)):
            days = _ceremony_days(year, every_days=every)
            groups: dict[datetime.date, list] = {}
            people = Newcomer.objects.filter(start_date__year=year, appointing_body=body).exclude(kind=Kind.EXTERNAL)
            for newcomer in people.order_by("start_date", "pk"):
                groups.setdefault(_first_fitting_day(newcomer, days), []).append(newcomer)
            for number, day in enumerate(sorted(groups)):
                ceremony = _hold(
                    day=day,
                    newcomers=groups[day],
                    officiant=officiants[body],
                    hr=hr,
                    programme=programme,
                    number=number,
                )
                sworn += len(groups[day])
                if body == AppointingBody.CIVIL_SERVICE:
                    held.append(ceremony)
        _dilemma_sessions(year, held, hr=hr)
    # The mails these past ceremonies queued (witness requests, invites) are history, not news.
    QueuedMail.objects.filter(created_at__gte=started_before, sent_at__isnull=True).update(
        sent_at=timezone.now(), last_error="demo history: not sent"
    )
    return sworn
