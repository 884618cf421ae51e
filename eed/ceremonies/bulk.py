"""Several at once: newcomers added to a ceremony from its page, and a witness answering several requests.

Adding, all of them or none:

HR ticks the newcomers; ``appointment_assign_many`` places them together, in one transaction, within the
free places, by the one rule of ``eed.ceremonies.placement`` (each through ``services.appointment_place``,
as a single add). Everyone is checked before anything is written, so a refusal names each newcomer who
cannot be placed and why. One reason covers every late newcomer of the batch. Those planned in another
ceremony move only once HR confirmed each of those moves (the confirmation page of a single add, for all
of them). The calendars of each ceremony concerned are brought up to date once, after the last placing.

Answering (``witness_answer_many``): the witness ticks their pending requests on "My witness requests"
and confirms or declines them together, in one transaction, each through ``services.witness_answer`` (so
the mail to HR and the invites go out as for a single answer). A request that is not the witness's own
open one refuses the whole batch before anything is written; one already given the same answer (a
second submit) is left as it is.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from eed.calendar.invites import invites_sync
from eed.ceremonies.placement import is_late, placement_problem
from eed.ceremonies.services import (
    AssignmentRefused,
    appointment_place,
    ceremony_schedule,
    lock_ceremony_with_room,
    witness_answer,
)
from eed.enums import CeremonyState, WitnessAnswer
from eed.models import Appointment, Ceremony
from onboarding.models import Newcomer


class BatchRefused(AssignmentRefused):
    """Nobody was placed: ``problems`` holds (newcomer, why) for each who cannot be, ``late`` those of them
    who only lack the reason for a ceremony after their deadline, ``room`` what the free places allow when
    the batch does not fit (else "")."""

    def __init__(self, problems: list[tuple[Newcomer, str]], room: str = "", late=()):
        self.problems, self.room, self.late = problems, room, list(late)
        messages = [f"{newcomer.full_name}: {why}" for newcomer, why in problems]
        super().__init__([*([room] if room else []), *messages])

    @property
    def others(self) -> list[tuple[Newcomer, str]]:
        """The problems but the missing reason of the late ones."""
        return [(newcomer, why) for newcomer, why in self.problems if newcomer not in self.late]


class MovesNotConfirmed(AssignmentRefused):
    """Nobody was placed: these newcomers are planned in another ceremony and HR has not confirmed moving
    them (or confirmed leaving another appointment than their current one, ``stale``). ``moves`` holds
    (newcomer, the appointment they would leave)."""

    def __init__(self, moves: list[tuple[Newcomer, Appointment]], stale: list[Newcomer]):
        self.moves, self.stale = moves, stale
        super().__init__(_("Some newcomers are planned in another ceremony; confirm moving them first."))


@transaction.atomic
def appointment_assign_many(
    *, ceremony: Ceremony, newcomers, by, witness=None, late_reason: str = "", moving_from: dict | None = None
) -> list[Appointment]:
    """Place every newcomer given in the ceremony, or none (``BatchRefused``, ``MovesNotConfirmed``).

    ``witness`` is asked for all of them (None: each newcomer's manager); ``late_reason`` is recorded for
    those whose deadline is before the ceremony. ``moving_from`` maps a newcomer's pk to the appointment
    HR confirmed moving them out of. Returns the new appointments, nearest deadline first.
    """
    moving_from = moving_from or {}
    ceremony = lock_ceremony_with_room(ceremony.pk)
    people = _locked(newcomers)
    if not people:
        raise AssignmentRefused(_("Tick the newcomers to add."))
    current = {
        appointment.newcomer_id: appointment
        for appointment in Appointment.objects.filter(newcomer__in=people, ended_at__isnull=True).select_related(
            "ceremony__officiant", "witness"
        )
    }
    _check_all(ceremony, people, current, late_reason=late_reason)
    moves = [(person, current[person.pk]) for person in people if _unconfirmed_move(person, current, moving_from)]
    if moves:
        raise MovesNotConfirmed(moves, stale=[person for person, _previous in moves if person.pk in moving_from])
    placed, left = [], {}
    for person in people:
        previous = current.get(person.pk)
        appointment, _raw, _previous = appointment_place(
            newcomer=person,
            ceremony=ceremony,
            by=by,
            witness=witness,
            late_reason=late_reason,
            moving_from=previous.pk if previous else None,
        )
        placed.append(appointment)
        if previous is not None:
            left[previous.ceremony_id] = previous.ceremony
    invites_sync(ceremony=ceremony)
    for other in left.values():
        invites_sync(ceremony=other)
    return placed


def _locked(newcomers) -> list[Newcomer]:
    """The newcomers' rows, locked in one order (pk) so two batches cannot deadlock; then by deadline."""
    pks = {newcomer.pk for newcomer in newcomers}
    people = list(Newcomer.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
    return sorted(people, key=lambda person: (person.deadline, person.surname, person.pk))


def _check_all(ceremony: Ceremony, people: list[Newcomer], current: dict, *, late_reason: str) -> None:
    problems, late = [], []
    for person in people:
        previous = current.get(person.pk)
        if previous is not None and previous.ceremony_id == ceremony.pk:
            problems.append((person, _("The newcomer is already in this ceremony.")))
        elif problem := placement_problem(person, ceremony, late_reason=late_reason):
            problems.append((person, problem))
            if is_late(person, ceremony) and placement_problem(person, ceremony, late_reason="given") is None:
                late.append(person)
    free = ceremony.capacity - ceremony.appointments.filter(ended_at__isnull=True).count()
    room = ""
    if len(people) > free:
        room = ngettext(
            "Only %(free)d place is free in this ceremony; you ticked %(count)d newcomers.",
            "Only %(free)d places are free in this ceremony; you ticked %(count)d newcomers.",
            free,
        ) % {"free": free, "count": len(people)}
    if problems or room:
        raise BatchRefused(problems, room, late)


def _unconfirmed_move(person: Newcomer, current: dict, moving_from: dict) -> bool:
    previous = current.get(person.pk)
    return previous is not None and moving_from.get(person.pk) != previous.pk


@transaction.atomic
def witness_answer_many(*, appointment_ids, by, confirm: bool, substitute: str = "") -> list[Appointment]:
    """Answer every request given, or none; returns those answered now (not those already answered so).

    Each must be ``by``'s own request, still open, in a planned ceremony, and pending or already given
    this answer; otherwise ``ValidationError`` and nothing changes. ``substitute`` goes with every decline.
    """
    pks = {int(pk) for pk in appointment_ids}
    if not pks:
        raise ValidationError(_("Tick the requests you want to answer."))
    answer = WitnessAnswer.CONFIRMED if confirm else WitnessAnswer.DECLINED
    appointments = list(
        Appointment.objects.select_for_update(of=("self",))
        .filter(pk__in=pks, witness=by, ended_at__isnull=True, ceremony__state=CeremonyState.PLANNED)
        .filter(witness_answer__in=[WitnessAnswer.PENDING, answer])
        .order_by("pk")
    )
    if len(appointments) != len(pks):
        raise ValidationError(_("Some of these requests are not open for you any more; nothing has been answered."))
    pending = [appointment for appointment in appointments if appointment.witness_answer == WitnessAnswer.PENDING]
    for appointment in pending:
        witness_answer(appointment=appointment, by=by, confirm=confirm, substitute=substitute)
    return pending


@transaction.atomic
def ceremony_schedule_with(*, by, newcomers=(), **fields) -> Ceremony:
    """Plan a ceremony and place ``newcomers`` in it at once (a planner proposal made real): all or nothing."""
    ceremony = ceremony_schedule(by=by, **fields)
    if newcomers:
        appointment_assign_many(ceremony=ceremony, newcomers=newcomers, by=by)
    return ceremony
