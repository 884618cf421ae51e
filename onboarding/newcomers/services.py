"""Operations on newcomers: register and change, each with its audit entry."""

from django.conf import settings
from django.db import transaction

from onboarding.audit.trail import audit_record, changed_fields, snapshot
from onboarding.declarations.services import declaration_request_send
from onboarding.enums import Kind
from onboarding.models import Newcomer
from onboarding.models.newcomers import AUDITED_FIELDS


@transaction.atomic
def newcomer_create(*, by, **fields) -> Newcomer:
    start_date = fields.pop("start_date")
    newcomer = Newcomer(**fields)
    newcomer.start_on(start_date)
    newcomer.full_clean()
    newcomer.save()
    audit_record(actor=by, action="newcomer.create", target=newcomer, changes=snapshot(newcomer, AUDITED_FIELDS))
    if newcomer.kind == Kind.EXTERNAL and settings.DECLARATION_SEND_AUTOMATICALLY:
        declaration_request_send(newcomer=newcomer, by=by)
    return newcomer


@transaction.atomic
def newcomer_update(*, newcomer: Newcomer, by, **fields) -> Newcomer:
    newcomer = Newcomer.objects.select_for_update().get(pk=newcomer.pk)
    before = snapshot(newcomer, AUDITED_FIELDS)
    if "start_date" in fields:
        newcomer.start_on(fields.pop("start_date"))
    for name, value in fields.items():
        setattr(newcomer, name, value)
    newcomer.full_clean()
    newcomer.save()
    changes = changed_fields(before, snapshot(newcomer, AUDITED_FIELDS))
    if changes:
        audit_record(actor=by, action="newcomer.update", target=newcomer, changes=changes)
    return newcomer
