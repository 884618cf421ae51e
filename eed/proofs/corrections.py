"""Corrections of a recorded outcome: explicit, with a reason, keeping the values they replace.

A taken oath is a legal record. It is never deleted (every reference to it
is PROTECT) and never silently changed: ``appointment_correct`` is the only
way, and it writes a ``Correction`` with the values before and after. When
what the proof prints changes (the form, a name, the outcome), the old proof
is revoked and a new one issued with a new number and verification code.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eed.enums import CeremonyState, Outcome
from eed.models import Appointment, Correction
from eed.proofs.attendance import RECORDED_FIELDS, AttendanceRow, apply_row, check_row
from eed.proofs.certificates import certificate_issue, certificate_revoke, printed_facts, proof_facts
from onboarding.audit.trail import audit_record, changed_fields, snapshot


def _record(appointment: Appointment, certificate) -> dict:
    """The appointment's recorded values and the proof in force, as kept in a correction."""
    values = snapshot(appointment, RECORDED_FIELDS)
    values["witness_present_label"] = appointment.witness_present_label
    values["certificate"] = certificate.number if certificate else None
    values["printed_name"] = certificate.full_name if certificate else None
    return values


def _row(appointment: Appointment, new_values: dict) -> AttendanceRow:
    values = {name: getattr(appointment, name) for name in RECORDED_FIELDS}
    values.update(new_values)
    return AttendanceRow(appointment_id=appointment.pk, **values)


def _set_outcome(appointment: Appointment, row: AttendanceRow, *, now) -> None:
    """Apply the corrected values; a newcomer corrected to *taken* must not be planned elsewhere meanwhile."""
    was_taken = appointment.outcome == Outcome.TAKEN
    if row.outcome == Outcome.TAKEN and not was_taken:
        elsewhere = appointment.newcomer.appointments.filter(ended_at__isnull=True).exclude(pk=appointment.pk)
        if elsewhere.exists():
            raise ValidationError(
                _("%(name)s is planned in another ceremony now: remove them from it first.")
                % {"name": appointment.newcomer.full_name}
            )
    ended_at = appointment.ended_at
    apply_row(appointment, row, now=now)
    if row.outcome == Outcome.ABSENT and not was_taken:
        appointment.ended_at = ended_at  # it stays ended as it was
    elif row.outcome == Outcome.ABSENT:
        appointment.end_reason = _("absent (corrected)")


@transaction.atomic
def appointment_correct(*, appointment: Appointment, by, reason: str, now=None, **new_values) -> Correction:
    """Change a recorded outcome (``outcome``, ``form_used``, ``adapted_manner_used``, ``witness_present``,
    ``witness_present_name``), or reissue the proof after a name was put right, giving the reason.

    Returns the ``Correction``; refuses when nothing would change.
    """
    unknown = set(new_values) - set(RECORDED_FIELDS)
    if unknown:
        raise TypeError(f"Not correctable: {', '.join(sorted(unknown))}")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    now = now or timezone.now()
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("ceremony__officiant__officiant", "newcomer", "witness_present")
        .get(pk=appointment.pk)
    )
    if not appointment.outcome or appointment.ceremony.state != CeremonyState.HELD:
        raise ValidationError(_("Only the recorded outcome of a held ceremony can be corrected."))
    current = appointment.certificates.filter(revoked_at__isnull=True).first()
    before = _record(appointment, current)
    row = _row(appointment, new_values)
    check_row(row, name=appointment.newcomer.full_name)
    _set_outcome(appointment, row, now=now)
    appointment.save(update_fields=[*RECORDED_FIELDS, "ended_at", "end_reason"])
    # Audited before any proof changes: the audit chain's lock is then always
    # taken before the certificate counter's, in every transaction that takes both.
    audit_record(
        actor=by,
        action="appointment.correct",
        target=appointment,
        changes={"reason": reason, **changed_fields(before, _record(appointment, current))},
    )

    taken = appointment.outcome == Outcome.TAKEN
    revoked = issued = None
    if current is not None and (not taken or printed_facts(current) != proof_facts(appointment)):
        certificate_revoke(certificate=current, by=by, reason=reason, now=now)
        revoked = current
    if taken and (current is None or revoked is not None):
        language = current.language if current else "nl"
        issued = certificate_issue(appointment=appointment, by=by, language=language, now=now)
    after = _record(appointment, issued or (None if revoked else current))
    if before == after:
        raise ValidationError(_("Nothing would change: there is nothing to correct."))

    return Correction.objects.create(
        appointment=appointment,
        at=now,
        by=by,
        reason=reason,
        before=before,
        after=after,
        revoked_certificate=revoked,
        issued_certificate=issued,
    )
