"""The audit trail: every service that changes a record writes one entry."""

import datetime
from decimal import Decimal

from onboarding.models import AuditEntry


def _plain(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return value.pk
    return value


def snapshot(instance, fields) -> dict:
    """Field values of an instance in a JSON-friendly form."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def changed_fields(before: dict, after: dict) -> dict:
    return {
        name: {"before": before.get(name), "after": value} for name, value in after.items() if before.get(name) != value
    }


def audit_record(*, actor, action: str, target, changes: dict | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        changes=changes or {},
    )
