"""The planner's database side: load its inputs, preview a plan, apply the rows HR confirms.

Loading costs a constant number of queries however many newcomers and
ceremonies there are. Applying goes through ``eed.ceremonies.services.appointment_assign``,
the one code path that creates appointments, asks witnesses and sends invites.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.clock import job_moment
from core.jobs import failure_log
from eed.ceremonies.placement import bodies_served
from eed.ceremonies.selectors import with_places
from eed.ceremonies.services import appointment_assign
from eed.enums import CeremonyState
from eed.models import Appointment, Ceremony, Officiant
from eed.planner.plan import (
    CAPACITY,
    DEADLINE_PASSED,
    NO_CEREMONY_IN_WINDOW,
    Plan,
    PlannerCeremony,
    PlannerNewcomer,
    Proposal,
    ProposalSlots,
    ceremony_options,
    plan,
)
from onboarding.enums import AppointingBody, Kind
from onboarding.models import Newcomer

REASON_MESSAGES = {
    DEADLINE_PASSED: gettext_lazy(
        "The deadline has passed. Plan a ceremony by hand and record the reason for the delay."
    ),
    NO_CEREMONY_IN_WINDOW: gettext_lazy(
        "No planned ceremony with an officiant for this appointing body between the start date and the deadline."
    ),
    CAPACITY: gettext_lazy("The ceremonies between the start date and the deadline are full."),
}


def newcomers_to_plan() -> QuerySet:
    """Newcomers who take an oath and have no current appointment (never planned, removed, or absent)."""
    current = Appointment.objects.filter(newcomer=OuterRef("pk"), ended_at__isnull=True)
    return (
        Newcomer.objects.not_anonymised().exclude(kind=Kind.EXTERNAL).exclude(Exists(current)).select_related("manager")
    )


def ceremonies_open_for_planning(*, now: datetime.datetime) -> QuerySet:
    """Planned ceremonies still to come, with their free places and their officiant's authority."""
    upcoming = Ceremony.objects.filter(state=CeremonyState.PLANNED, starts_at__gt=now)
    return with_places(upcoming.select_related("officiant__officiant")).order_by("starts_at", "pk")


def open_ceremony_ids(*, now: datetime.datetime) -> list[int]:
    return list(Ceremony.objects.filter(state=CeremonyState.PLANNED, starts_at__gt=now).values_list("pk", flat=True))


def proposal_slots() -> ProposalSlots:
    """The organisation's usual ceremony weekdays, time and size (settings CEREMONY_*)."""
    try:
        at = datetime.time.fromisoformat(settings.CEREMONY_TIME)
    except ValueError:
        raise ImproperlyConfigured(f"CEREMONY_TIME must look like 10:00, not {settings.CEREMONY_TIME!r}.") from None
    weekdays = frozenset(settings.CEREMONY_WEEKDAYS)
    if not weekdays or not weekdays <= set(range(7)):
        raise ImproperlyConfigured("CEREMONY_WEEKDAYS must be weekday numbers from 0 (Monday) to 6 (Sunday).")
    return ProposalSlots(
        weekdays=weekdays,
        at=at,
        capacity=settings.CEREMONY_DEFAULT_CAPACITY,
        tzinfo=timezone.get_default_timezone(),
    )


def _as_planner_newcomer(newcomer: Newcomer) -> PlannerNewcomer:
    return PlannerNewcomer(
        id=newcomer.pk,
        start=newcomer.start_date,
        deadline=newcomer.deadline,
        body=newcomer.appointing_body,
        manager_id=newcomer.manager_id,
    )


def _as_planner_ceremony(ceremony: Ceremony) -> PlannerCeremony:
    return PlannerCeremony(
        id=ceremony.pk,
        day=ceremony.day,
        starts_at=ceremony.starts_at,
        free=ceremony.free,
        bodies=bodies_served(ceremony),
    )


@dataclass(frozen=True)
class PlannerRow:
    newcomer: Newcomer
    ceremony: Ceremony
    options: list[Ceremony]


@dataclass(frozen=True)
class UnplacedRow:
    newcomer: Newcomer
    reason: str
    message: str
    proposal: Proposal | None


@dataclass(frozen=True)
class ProposalRow:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    body: str
    body_label: str
    newcomers: list[Newcomer]
    officiant: object = None  # a user who swears in for the body, to fill in when the proposal is planned
    capacity: int = 0


@dataclass(frozen=True)
class PlannerPreview:
    """A plan with the objects it names, ready to show."""

    today: datetime.date
    plan: Plan
    newcomers: dict[int, Newcomer]
    ceremonies: dict[int, Ceremony]
    options: dict[int, list[int]]

    def assigned_rows(self) -> list[PlannerRow]:
        return [
            PlannerRow(
                newcomer=self.newcomers[n],
                ceremony=self.ceremonies[c],
                options=[self.ceremonies[pk] for pk in self.options.get(n, [c])],
            )
            for n, c in self.plan.assigned
        ]

    def unplaced_rows(self) -> list[UnplacedRow]:
        proposed_for = {n: p for p in self.plan.proposed for n in p.newcomer_ids}
        return [
            UnplacedRow(
                newcomer=self.newcomers[n],
                reason=reason,
                message=str(REASON_MESSAGES[reason]),
                proposal=proposed_for.get(n),
            )
            for n, reason in self.plan.unplaced
        ]

    def proposal_rows(self) -> list[ProposalRow]:
        duration = datetime.timedelta(minutes=settings.CEREMONY_DURATION_MINUTES)
        officiants = _officiants_by_body()
        return [
            ProposalRow(
                starts_at=p.starts_at,
                ends_at=p.starts_at + duration,
                body=p.body,
                body_label=str(AppointingBody(p.body).label),
                newcomers=[self.newcomers[n] for n in p.newcomer_ids],
                officiant=officiants.get(p.body),
                capacity=max(settings.CEREMONY_DEFAULT_CAPACITY, len(p.newcomer_ids)),
            )
            for p in self.plan.proposed
        ]


def _officiants_by_body() -> dict:
    """For each appointing body, an active officiant who swears in for it (the first by name): one query."""
    found = Officiant.objects.filter(user__is_active=True).select_related("user")
    chosen = {}
    for officiant in found.order_by("user__last_name", "user__first_name", "pk"):
        for body in AppointingBody.values:
            if officiant.serves(body):
                chosen.setdefault(body, officiant.user)
    return chosen


def planner_preview(*, today: datetime.date | None = None, now: datetime.datetime | None = None) -> PlannerPreview:
    """What the planner would do now (or at the job's moment on ``today``): two queries, then eed.planner.plan."""
    now = now or job_moment(today)
    today = today or timezone.localdate(now)
    newcomers = {n.pk: n for n in newcomers_to_plan()}
    ceremonies = {c.pk: c for c in ceremonies_open_for_planning(now=now)}
    inputs = [_as_planner_newcomer(n) for n in newcomers.values()]
    rooms = [_as_planner_ceremony(c) for c in ceremonies.values()]
    result = plan(inputs, rooms, today=today, slots=proposal_slots())
    assigned = {n for n, _ in result.assigned}
    options = ceremony_options([n for n in inputs if n.id in assigned], rooms, today=today)
    return PlannerPreview(today=today, plan=result, newcomers=newcomers, ceremonies=ceremonies, options=options)


@dataclass
class PlannerOutcome:
    """What confirming did: who was placed, who already was (a second submit), and who was refused and why."""

    placed: list[Appointment] = field(default_factory=list)
    already: list[int] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (who, why)


def planner_apply(*, assignments, by) -> PlannerOutcome:
    """Assign each (newcomer id, ceremony id) through ``appointment_assign``, each in its own transaction.

    A newcomer who is already in that ceremony is left alone (a form sent
    twice changes nothing); one who meanwhile got another ceremony is not
    moved; any other refusal (full, cancelled, too late), or an unexpected
    error (logged, and rolled back with its row), is reported and the other
    rows still go through.
    """
    outcome = PlannerOutcome()
    for newcomer_id, ceremony_id in assignments:
        try:
            appointment = _apply_one(newcomer_id=newcomer_id, ceremony_id=ceremony_id, by=by)
        except _AlreadyThere:
            outcome.already.append(newcomer_id)
        except ValidationError as error:
            outcome.refused.append((_who(newcomer_id), " ".join(error.messages)))
        except IntegrityError:
            outcome.refused.append((_who(newcomer_id), _("Someone else changed this newcomer at the same moment.")))
        except Exception as error:  # one newcomer's failure must not stop the others, nor end in an error page
            failure_log("planner", newcomer_id, error)
            outcome.refused.append((_who(newcomer_id), _("An unexpected error occurred; it has been logged.")))
        else:
            outcome.placed.append(appointment)
    return outcome


class _AlreadyThere(Exception):
    """The newcomer already has a current appointment in this very ceremony."""


@transaction.atomic
def _apply_one(*, newcomer_id: int, ceremony_id: int, by) -> Appointment:
    # Lock in the order appointment_assign does (ceremony, then newcomer), so
    # the "already planned?" check below still holds when it assigns.
    ceremony = Ceremony.objects.select_for_update().filter(pk=ceremony_id).first()
    newcomer = Newcomer.objects.select_for_update().filter(pk=newcomer_id).first()
    if ceremony is None or newcomer is None:
        raise ValidationError(_("This newcomer or ceremony no longer exists."))
    current = newcomer.appointments.filter(ended_at__isnull=True).first()
    if current is not None and current.ceremony_id == ceremony.pk:
        raise _AlreadyThere
    if current is not None:
        raise ValidationError(_("This newcomer has been planned in another ceremony in the meantime."))
    appointment, _raw = appointment_assign(newcomer=newcomer, ceremony=ceremony, by=by)
    return appointment


def _who(newcomer_id: int) -> str:
    newcomer = Newcomer.objects.filter(pk=newcomer_id).first()
    return newcomer.full_name if newcomer else f"#{newcomer_id}"
