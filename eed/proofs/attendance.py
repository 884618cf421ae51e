"""The ceremony day: recording who took the oath or affirmation, and who was absent.

``ceremony_record_attendance`` takes the whole attendance sheet in one
transaction: a taken oath gets its proof (eed.proofs.certificates), an absentee's
appointment ends so they are back to *to plan* (or *overdue*) with their
original deadline, and the ceremony is *held*. It runs once per ceremony;
after that an outcome changes only by a correction (eed.proofs.corrections).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import NEWCOMER_SWORN, event_happened
from eed.ceremonies.placement import fit_problem
from eed.enums import CeremonyState, OathForm, Outcome
from eed.models import Appointment, Ceremony
from eed.proofs.certificates import certificate_issue, in_force
from onboarding.audit.trail import audit_record, snapshot

RECORDED_FIELDS = ("outcome", "form_used", "adapted_manner_used", "witness_present", "witness_present_name")


class AttendanceRefused(ValidationError):
    """The sheet cannot be recorded (already held, cancelled, not yet taken place, out of date)."""


@dataclass(frozen=True)
class AttendanceRow:
    """One line of the sheet: what happened for one appointment."""

    appointment_id: int
    outcome: str
    form_used: str = ""
    adapted_manner_used: str = ""
    witness_present: object = None  # a User, or None when the witness is not one (then witness_present_name)
    witness_present_name: str = ""


def check_row(row: AttendanceRow, *, name: str) -> None:
    """A taken oath needs its form and the witness who was there."""
    if row.outcome not in Outcome.values:
        raise ValidationError(_("Record whether %(name)s took the oath or was absent.") % {"name": name})
    if row.outcome == Outcome.TAKEN:
        if row.form_used not in OathForm.values:
            raise ValidationError(_("Choose oath or affirmation for %(name)s.") % {"name": name})
        if row.witness_present is None and not row.witness_present_name.strip():
            raise ValidationError(_("Name the witness who was present for %(name)s.") % {"name": name})


def apply_row(appointment: Appointment, row: AttendanceRow, *, now) -> None:
    """Set the outcome fields (not saved). An absentee keeps no form or witness and their appointment ends."""
    taken = row.outcome == Outcome.TAKEN
    appointment.outcome = row.outcome
    appointment.form_used = row.form_used if taken else ""
    appointment.adapted_manner_used = row.adapted_manner_used.strip() if taken else ""
    appointment.witness_present = row.witness_present if taken else None
    appointment.witness_present_name = row.witness_present_name.strip() if taken and not row.witness_present else ""
    if taken:
        appointment.ended_at, appointment.end_reason = None, ""
    else:
        appointment.ended_at, appointment.end_reason = now, _("absent")


@dataclass(frozen=True)
class ReviewLine:
    """One newcomer on the page that shows what the sheet will record, before it is."""

    appointment: Appointment
    row: AttendanceRow

    @property
    def taken(self) -> bool:
        return self.row.outcome == Outcome.TAKEN

    @property
    def form_label(self) -> str:
        return OathForm(self.row.form_used).label if self.taken else ""

    @property
    def witness_label(self) -> str:
        return str(self.row.witness_present) if self.row.witness_present else self.row.witness_present_name.strip()


def attendance_review(*, rows: Iterable[AttendanceRow], appointments: Iterable[Appointment]) -> list[ReviewLine]:
    """The sheet as it would be recorded, in its order; refused, like recording, when it does not list
    exactly these appointments."""
    by_pk = {appointment.pk: appointment for appointment in appointments}
    rows = list(rows)
    _check_participants(rows, by_pk)
    return [ReviewLine(appointment=by_pk[row.appointment_id], row=row) for row in rows]


def _check_participants(rows: list[AttendanceRow], appointments: dict) -> None:
    if sorted(row.appointment_id for row in rows) != sorted(appointments):
        raise AttendanceRefused(
            _("The participants of this ceremony changed while the sheet was open; reload it and record again.")
        )


def already_recorded() -> str:
    return _(
        "The attendance of this ceremony has already been recorded. "
        "To change an outcome, use the correction on the newcomer's page."
    )


def _lock(ceremony: Ceremony, now) -> Ceremony:
    ceremony = (
        Ceremony.objects.select_for_update(of=("self",)).select_related("officiant__officiant").get(pk=ceremony.pk)
    )
    if ceremony.state == CeremonyState.HELD:
        raise AttendanceRefused(already_recorded())
    if ceremony.state == CeremonyState.CANCELLED:
        raise AttendanceRefused(_("This ceremony was cancelled; there is no attendance to record."))
    if not has_taken_place(ceremony, now=now):
        raise AttendanceRefused(_("This ceremony has not taken place yet."))
    return ceremony


def _sworn(appointment: Appointment, ceremony: Ceremony) -> dict:
    return {
        "newcomerId": appointment.newcomer_id,
        "personnelNumber": appointment.newcomer.personnel_number,
        "ceremonyId": ceremony.pk,
        "date": ceremony.day.isoformat(),
        "form": appointment.form_used,
    }


def has_taken_place(ceremony: Ceremony, *, now=None) -> bool:
    """From the ceremony's day on its attendance can be recorded (the sheet is filled in the room)."""
    return ceremony.day <= timezone.localdate(now or timezone.now())


@transaction.atomic
def ceremony_record_attendance(*, ceremony: Ceremony, by, rows: Iterable[AttendanceRow], now=None) -> Ceremony:
    """Record the whole sheet (one row per current appointment) and close the ceremony as held."""
    now = now or timezone.now()
    ceremony = _lock(ceremony, now)
    current = ceremony.appointments.select_for_update(of=("self",)).filter(ended_at__isnull=True)
    appointments = {appointment.pk: appointment for appointment in current.select_related("newcomer")}
    rows = list(rows)
    _check_participants(rows, appointments)
    forms_in_force = {}
    for row in rows:
        appointment = appointments[row.appointment_id]
        appointment.ceremony = ceremony
        check_row(row, name=appointment.newcomer.full_name)
        if row.outcome == Outcome.TAKEN and (problem := fit_problem(appointment.newcomer, ceremony)):
            raise AttendanceRefused(f"{appointment.newcomer.full_name}: {problem}")
        apply_row(appointment, row, now=now)
        appointment.recorded_at, appointment.recorded_by = now, by
        appointment.save(update_fields=[*RECORDED_FIELDS, "ended_at", "end_reason", "recorded_at", "recorded_by"])
        audit_record(
            actor=by,
            action="appointment.record_outcome",
            target=appointment,
            changes=snapshot(appointment, RECORDED_FIELDS),
        )
        if appointment.outcome == Outcome.TAKEN:
            if appointment.form_used not in forms_in_force:
                forms_in_force[appointment.form_used] = in_force(appointment)
            text, organisation = forms_in_force[appointment.form_used]
            certificate_issue(appointment=appointment, by=by, text=text, organisation=organisation, now=now)
            event_happened(NEWCOMER_SWORN, newcomer_id=appointment.newcomer_id, data=_sworn(appointment, ceremony))
    ceremony.state = CeremonyState.HELD
    ceremony.save(update_fields=["state", "updated_at"])
    taken = sum(row.outcome == Outcome.TAKEN for row in rows)
    audit_record(
        actor=by,
        action="ceremony.record_attendance",
        target=ceremony,
        changes={"state": CeremonyState.HELD.value, "taken": taken, "absent": len(rows) - taken},
    )
    return ceremony
