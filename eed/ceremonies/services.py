"""Operations on ceremonies, appointments and witnesses.

Keyword-only functions named ``<entity>_<action>``; each holds its
transaction, writes the audit trail, queues its mail (onboarding.mail.outbox) and
brings every participant's calendar up to date (eed.calendar.invites.invites_sync).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.tokens import token_new
from eed.calendar.invites import invites_sync
from eed.ceremonies import notifications
from eed.ceremonies.placement import ceremonies_open_to, fit_problem, is_late, placement_problem
from eed.enums import CeremonyState, WitnessAnswer
from eed.models import Appointment, Ceremony
from onboarding.accounts.roles import has_role
from onboarding.audit.trail import audit_record, changed_fields, snapshot
from onboarding.enums import Role
from onboarding.models import Newcomer

# A form filled in a few minutes ago for "now" is not in the past.
PAST_TOLERANCE = datetime.timedelta(minutes=5)
CEREMONY_FIELDS = ("starts_at", "ends_at", "place", "video_url", "officiant", "capacity", "notes", "state")


class AssignmentRefused(ValidationError):
    """The newcomer cannot go to this ceremony; the message says why, for HR."""


class MoveNotConfirmed(AssignmentRefused):
    """The newcomer is planned in another ceremony and HR has not confirmed moving them out of it
    (or confirmed leaving another appointment than the current one); ``previous`` is that appointment."""

    def __init__(self, previous: Appointment):
        self.previous = previous
        super().__init__(_("This newcomer is planned in another ceremony; confirm the move first."))


# ``moving_from`` left out: the newcomer moves from wherever they are (the planner checks that itself).
FROM_ANYWHERE = object()


def _check_officiant(officiant):
    if not has_role(officiant, Role.OFFICIANT) or not hasattr(officiant, "officiant"):
        raise ValidationError({"officiant": _("Choose a user with the Officiant role.")})


@transaction.atomic
def ceremony_schedule(*, by, programme=(), **fields) -> Ceremony:
    ceremony = Ceremony(**fields)
    _check_officiant(ceremony.officiant)
    ceremony.full_clean()
    ceremony.save()
    ceremony.programme.set(programme)
    audit_record(actor=by, action="ceremony.schedule", target=ceremony, changes=snapshot(ceremony, CEREMONY_FIELDS))
    return ceremony


class CeremonyChangeRefused(ValidationError):
    """The change leaves participants who no longer fit; ``misfits`` holds (appointment, why) for HR to decide."""

    def __init__(self, misfits: list[tuple[Appointment, str]]):
        self.misfits = misfits
        super().__init__(
            ngettext(
                "%(count)d participant no longer fits the changed ceremony.",
                "%(count)d participants no longer fit the changed ceremony.",
                len(misfits),
            )
            % {"count": len(misfits)}
        )


def ceremony_misfits(ceremony: Ceremony) -> list[tuple[Appointment, str]]:
    """The current participants the ceremony, as it now stands, would refuse if they were added today."""
    misfits = []
    current = ceremony.appointments.filter(ended_at__isnull=True).select_related("newcomer")
    for appointment in current.order_by("newcomer__surname", "newcomer__given_names"):
        problem = fit_problem(appointment.newcomer, ceremony)
        if problem is None and is_late(appointment.newcomer, ceremony) and not appointment.late_reason:
            problem = _("The changed ceremony is after the deadline, and no reason was recorded.")
        if problem:
            misfits.append((appointment, problem))
    return misfits


@transaction.atomic
def ceremony_update(*, ceremony: Ceremony, by, programme=None, remove_misfits: bool = False, **fields) -> Ceremony:
    """Edit or reschedule; participants' calendars follow (same UID, higher SEQUENCE).

    Every participant is checked again with the rule of adding (start date, appointing body, deadline):
    the change is refused with the list of those who no longer fit, unless HR chose to take them out
    (``remove_misfits``: they get a cancellation and are back to plan). A planned ceremony never moves
    into the past.
    """
    ceremony = Ceremony.objects.select_for_update().get(pk=ceremony.pk)
    if ceremony.state != CeremonyState.PLANNED:
        raise ValidationError(_("Only a planned ceremony can be changed."))
    before = snapshot(ceremony, CEREMONY_FIELDS)
    for name, value in fields.items():
        setattr(ceremony, name, value)
    _check_officiant(ceremony.officiant)
    if snapshot(ceremony, ["starts_at"])["starts_at"] != before["starts_at"] and _in_the_past(ceremony):
        raise ValidationError({"starts_at": _("A planned ceremony cannot be moved into the past.")})
    misfits = ceremony_misfits(ceremony)
    if misfits and not remove_misfits:
        raise CeremonyChangeRefused(misfits)
    for appointment, _problem in misfits:
        _appointment_end(appointment=appointment, by=by, reason=_("no longer fits the changed ceremony"))
    if ceremony.capacity < ceremony.appointments.filter(ended_at__isnull=True).count():
        raise ValidationError({"capacity": _("More newcomers are already assigned than this capacity allows.")})
    ceremony.full_clean()
    ceremony.save()
    if programme is not None:
        ceremony.programme.set(programme)
    changes = changed_fields(before, snapshot(ceremony, CEREMONY_FIELDS))
    if changes:
        audit_record(actor=by, action="ceremony.update", target=ceremony, changes=changes)
    invites_sync(ceremony=ceremony)
    return ceremony


def _in_the_past(ceremony: Ceremony) -> bool:
    return ceremony.starts_at < timezone.now() - PAST_TOLERANCE


@transaction.atomic
def ceremony_cancel(*, ceremony: Ceremony, by, reason: str = "") -> Ceremony:
    """Cancel: everyone gets a CANCEL, the newcomers go back to *to plan*."""
    ceremony = Ceremony.objects.select_for_update().get(pk=ceremony.pk)
    if ceremony.state != CeremonyState.PLANNED:
        raise ValidationError(_("Only a planned ceremony can be cancelled."))
    ceremony.state = CeremonyState.CANCELLED
    ceremony.save(update_fields=["state", "updated_at"])
    now = timezone.now()
    ended = ceremony.appointments.filter(ended_at__isnull=True).update(ended_at=now, end_reason=_("ceremony cancelled"))
    audit_record(
        actor=by, action="ceremony.cancel", target=ceremony, changes={"reason": reason, "appointments_ended": ended}
    )
    invites_sync(ceremony=ceremony)
    return ceremony


def lock_ceremony_with_room(ceremony_pk) -> Ceremony:
    """Lock the ceremony row so two assignments of the last place cannot both win."""
    ceremony = (
        Ceremony.objects.select_for_update(of=("self",)).select_related("officiant__officiant").get(pk=ceremony_pk)
    )
    if ceremony.state != CeremonyState.PLANNED:
        raise AssignmentRefused(_("This ceremony is not planned any more."))
    taken = ceremony.appointments.filter(ended_at__isnull=True).count()
    if taken >= ceremony.capacity:
        raise AssignmentRefused(_("This ceremony is full; choose another one or raise its capacity."))
    return ceremony


def _check_fit(*, newcomer: Newcomer, ceremony: Ceremony, late_reason: str) -> None:
    problem = placement_problem(newcomer, ceremony, late_reason=late_reason)
    if problem:
        raise AssignmentRefused(problem)


@transaction.atomic
def appointment_assign(
    *, newcomer: Newcomer, ceremony: Ceremony, by, witness=None, late_reason: str = "", moving_from=FROM_ANYWHERE
):
    """Place a newcomer in a ceremony (moving them if they had another one).

    ``moving_from`` is the appointment (its pk) HR confirmed moving the newcomer out of, None when HR
    saw none: when the newcomer's current appointment is another one, nothing happens and
    ``MoveNotConfirmed`` says which, so HR is asked (again). Returns (appointment, raw personal link
    token). Asks the witness (the manager unless HR names someone else) and sends the newcomer their
    link and invite.
    """
    appointment, raw, previous = appointment_place(
        newcomer=newcomer, ceremony=ceremony, by=by, witness=witness, late_reason=late_reason, moving_from=moving_from
    )
    invites_sync(ceremony=appointment.ceremony)
    if previous is not None:
        invites_sync(ceremony=previous.ceremony)
    return appointment, raw


def appointment_place(*, newcomer: Newcomer, ceremony: Ceremony, by, witness, late_reason: str, moving_from):
    """``appointment_assign`` but the calendars, inside the caller's transaction: a caller placing several
    newcomers brings each ceremony's calendars up to date once. Returns (appointment, raw token, the
    appointment the newcomer left or None)."""
    ceremony = lock_ceremony_with_room(ceremony.pk)
    newcomer = Newcomer.objects.select_for_update().get(pk=newcomer.pk)
    _check_fit(newcomer=newcomer, ceremony=ceremony, late_reason=late_reason)
    previous = (
        newcomer.appointments.filter(ended_at__isnull=True).select_related("ceremony__officiant", "witness").first()
    )
    if previous is not None:
        if previous.ceremony_id == ceremony.pk:
            raise AssignmentRefused(_("The newcomer is already in this ceremony."))
        if moving_from is not FROM_ANYWHERE and moving_from != previous.pk:
            raise MoveNotConfirmed(previous)
        _appointment_end(appointment=previous, by=by, reason=_("moved to another ceremony"))
    raw, digest = token_new()
    appointment = Appointment.objects.create(
        newcomer=newcomer,
        ceremony=ceremony,
        witness=witness or newcomer.manager,
        late_reason=late_reason.strip() if is_late(newcomer, ceremony) else "",
        link_digest=digest,
        created_by=by if by is not None and by.is_authenticated else None,
        form=previous.form if previous else "",
        adapted_manner=previous.adapted_manner if previous else "",
    )
    audit_record(
        actor=by,
        action="appointment.assign",
        target=appointment,
        changes={
            "newcomer": newcomer.pk,
            "ceremony": ceremony.pk,
            "moved_from": previous.ceremony_id if previous else None,
        },
    )
    if appointment.witness is not None:
        _witness_request(appointment=appointment)
    notifications.newcomer_invitation(appointment=appointment, raw_token=raw)
    return appointment, raw, previous


def _appointment_end(*, appointment: Appointment, by, reason: str) -> None:
    appointment.ended_at = timezone.now()
    appointment.end_reason = reason
    appointment.save(update_fields=["ended_at", "end_reason"])
    audit_record(actor=by, action="appointment.end", target=appointment, changes={"reason": reason})


@transaction.atomic
def appointment_remove(*, appointment: Appointment, by, reason: str = "") -> Appointment:
    """Take a newcomer out of a ceremony; they go back to *to plan* and get a CANCEL."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.outcome:
        raise ValidationError(_("The outcome has been recorded; change it with a correction."))
    if appointment.ended_at is not None:
        return appointment
    _appointment_end(appointment=appointment, by=by, reason=reason or _("removed by HR"))
    invites_sync(ceremony=appointment.ceremony)
    return appointment


def _witness_request(*, appointment: Appointment) -> None:
    appointment.witness_answer = WitnessAnswer.PENDING
    appointment.witness_answered_at = None
    appointment.witness_requested_at = timezone.now()
    appointment.witness_reminded_at = None
    appointment.witness_hr_alerted_at = None
    appointment.save(
        update_fields=[
            "witness_answer",
            "witness_answered_at",
            "witness_requested_at",
            "witness_reminded_at",
            "witness_hr_alerted_at",
        ]
    )
    notifications.witness_request(appointment=appointment)


@transaction.atomic
def witness_replace(*, appointment: Appointment, by, witness) -> Appointment:
    """HR names another witness for a planned ceremony; the old one's calendar gets a CANCEL.

    Refused once the ceremony is held or cancelled, or the appointment ended:
    who actually witnessed is recorded on the attendance sheet (and put right
    by a correction), not by renaming the requested witness afterwards.
    """
    appointment = Appointment.objects.select_for_update(of=("self",)).select_related("ceremony").get(pk=appointment.pk)
    if appointment.ended_at is not None or appointment.ceremony.state != CeremonyState.PLANNED:
        raise ValidationError(_("This ceremony is not planned any more: record who witnessed on the attendance sheet."))
    before = appointment.witness_id
    appointment.witness = witness
    appointment.save(update_fields=["witness"])
    audit_record(
        actor=by,
        action="witness.replace",
        target=appointment,
        changes={"witness": {"before": before, "after": witness.pk}},
    )
    _witness_request(appointment=appointment)
    invites_sync(ceremony=appointment.ceremony)
    return appointment


@transaction.atomic
def witness_answer(*, appointment: Appointment, by, confirm: bool, substitute: str = "") -> Appointment:
    """The witness confirms or declines (optionally naming a colleague); only they may."""
    appointment = Appointment.objects.select_for_update(of=("self",)).select_related("ceremony").get(pk=appointment.pk)
    if appointment.witness_id != by.pk or appointment.ended_at is not None:
        raise ValidationError(_("This witness request is not open for you."))
    if appointment.ceremony.state != CeremonyState.PLANNED:
        raise ValidationError(_("This ceremony is not planned any more."))
    answer = WitnessAnswer.CONFIRMED if confirm else WitnessAnswer.DECLINED
    appointment.witness_answer = answer
    appointment.witness_answered_at = timezone.now()
    appointment.substitute_suggestion = "" if confirm else substitute.strip()
    appointment.save(update_fields=["witness_answer", "witness_answered_at", "substitute_suggestion"])
    audit_record(
        actor=by,
        action="witness.answer",
        target=appointment,
        changes={"answer": answer, "substitute": appointment.substitute_suggestion},
    )
    if not confirm:
        notifications.witness_declined(appointment=appointment)
    invites_sync(ceremony=appointment.ceremony)
    return appointment


CHOICE_FIELDS = ("form", "adapted_manner", "attendance_confirmed_at", "attendance_declined_at", "absence_reason")


@transaction.atomic
def appointment_newcomer_choose(
    *, appointment: Appointment, form: str, adapted_manner: str = "", attendance: str = "", absence_reason: str = ""
) -> Appointment:
    """What the newcomer says through their personal link: the form, an adapted manner, and whether they come.

    ``attendance`` is ``coming``, ``not_coming`` (with an optional reason; HR is told by mail the first time)
    or ``""`` (no answer: what they said before stands).
    """
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    before = snapshot(appointment, CHOICE_FIELDS)
    appointment.form = form or appointment.form
    appointment.adapted_manner = adapted_manner.strip()
    now = timezone.now()
    newly_not_coming = attendance == "not_coming" and appointment.attendance_declined_at is None
    if attendance == "coming":
        appointment.attendance_confirmed_at = appointment.attendance_confirmed_at or now
        appointment.attendance_declined_at, appointment.absence_reason = None, ""
    elif attendance == "not_coming":
        appointment.attendance_declined_at = appointment.attendance_declined_at or now
        appointment.attendance_confirmed_at = None
        appointment.absence_reason = absence_reason.strip()
    appointment.save(update_fields=list(CHOICE_FIELDS))
    changes = changed_fields(before, snapshot(appointment, CHOICE_FIELDS))
    if changes:
        audit_record(
            actor=None, action="appointment.newcomer_choice", target=appointment, changes=changes, via="link:newcomer"
        )
    if newly_not_coming:
        notifications.newcomer_not_coming(appointment=appointment)
    return appointment


@transaction.atomic
def appointment_newcomer_move(*, appointment: Appointment, ceremony: Ceremony) -> Appointment:
    """The newcomer who cannot come picks another date offered on their page (one that fits, before the
    deadline, with room): they move as if HR moved them, and get a new link and invite."""
    if ceremony.pk not in {offered.pk for offered in ceremonies_open_to(appointment.newcomer, excluding=appointment)}:
        raise AssignmentRefused(_("This date can no longer be chosen; choose another one or contact HR."))
    moved, _raw = appointment_assign(
        newcomer=appointment.newcomer, ceremony=ceremony, by=None, witness=appointment.witness,
        moving_from=appointment.pk,
    )  # fmt: skip
    return moved
