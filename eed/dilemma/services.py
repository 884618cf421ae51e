"""Operations on dilemma-game sessions: in a ceremony's programme, or for a team that asked for it.

The number of participants is a plain count (it feeds the annual figures);
for a ceremony session left empty it is the number of newcomers present.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from eed.enums import DilemmaSetting, Outcome
from eed.models import Ceremony, DilemmaSession
from onboarding.audit.trail import audit_record, changed_fields, snapshot

FIELDS = ("date", "setting", "ceremony", "team_name", "facilitator", "participants", "notes")


def present_count(ceremony: Ceremony) -> int:
    """Newcomers who took the oath or affirmation at the ceremony."""
    return ceremony.appointments.filter(outcome=Outcome.TAKEN).count()


def _fill(session: DilemmaSession, fields: dict) -> None:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(session, name, value.strip() if isinstance(value, str) else value)
    if session.setting == DilemmaSetting.TEAM:
        session.ceremony = None
    else:
        session.team_name = ""
    if session.participants is None and session.setting == DilemmaSetting.CEREMONY and session.ceremony is not None:
        session.participants = present_count(session.ceremony)
    if session.participants is None:
        raise ValidationError({"participants": _("Give the number of participants.")})


@transaction.atomic
def dilemma_session_create(*, by, **fields) -> DilemmaSession:
    session = DilemmaSession(created_by=by if by is not None and by.is_authenticated else None)
    _fill(session, fields)
    session.full_clean()
    session.save()
    audit_record(actor=by, action="dilemma_session.create", target=session, changes=snapshot(session, FIELDS))
    return session


@transaction.atomic
def dilemma_session_update(*, session: DilemmaSession, by, **fields) -> DilemmaSession:
    session = DilemmaSession.objects.select_for_update().get(pk=session.pk)
    before = snapshot(session, FIELDS)
    _fill(session, fields)
    session.full_clean()
    session.save()
    changes = changed_fields(before, snapshot(session, FIELDS))
    if changes:
        audit_record(actor=by, action="dilemma_session.update", target=session, changes=changes)
    return session
