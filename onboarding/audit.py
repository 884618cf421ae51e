"""The audit trail: every service that changes a record writes one entry.

Entries form a hash chain: each one stores the SHA-256 of its own content
(time, actor, channel, action, target, changes) together with the previous
entry's hash, so editing, deleting or inserting an entry afterwards shows up
in ``manage.py verify_audit``. Entries are appended under a lock (PostgreSQL:
a transaction-level advisory lock; SQLite: the IMMEDIATE transaction already
serialises writers), so two concurrent writers cannot fork the chain.

``via`` tells how a change came in when no user did it in the app: a personal
link (``link:declaration``, ``link:newcomer``), a command
(``command:send_reminders``), the Django admin (``admin``), an import.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from onboarding.models import AuditEntry

# pg_advisory_xact_lock key: any constant shared by every writer of the chain.
CHAIN_LOCK_KEY = 0x6175646974  # "audit"
BULK_BATCH = 2000


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


def _json_ready(changes: dict | None) -> dict:
    """Exactly what the JSON column will give back, so the hash is over what is stored."""
    return json.loads(json.dumps(changes or {}, cls=DjangoJSONEncoder))


def entry_digest(
    *, previous_hash: str, at, actor_id, via: str, action: str, target_type: str, target_id: str, changes
) -> str:
    """SHA-256 (hex) of an entry's content and the previous entry's hash; ids play no part."""
    content = {
        "previous": previous_hash,
        "at": at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "actor": actor_id,
        "via": via,
        "action": action,
        "target": [target_type, target_id],
        "changes": changes,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _entry_digest_of(entry: AuditEntry) -> str:
    return entry_digest(
        previous_hash=entry.previous_hash,
        at=entry.at,
        actor_id=entry.actor_id,
        via=entry.via,
        action=entry.action,
        target_type=entry.target_type,
        target_id=entry.target_id,
        changes=entry.changes,
    )


def _chain_head_locked() -> str:
    """Take the chain lock for this transaction and return the last entry's hash."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
    return AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first() or ""


def _new_entry(*, actor, action, target_type, target_id, changes, via, at, previous_hash) -> AuditEntry:
    entry = AuditEntry(
        at=at,
        actor=actor if actor is not None and actor.is_authenticated else None,
        via=via,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        changes=_json_ready(changes),
        previous_hash=previous_hash,
    )
    entry.hash = _entry_digest_of(entry)
    return entry


def audit_record(*, actor, action: str, target, changes: dict | None = None, via: str = "") -> AuditEntry:
    """Append one entry for ``target`` (any model instance with a pk)."""
    with transaction.atomic():
        entry = _new_entry(
            actor=actor,
            action=action,
            target_type=target._meta.label_lower,
            target_id=target.pk,
            changes=changes,
            via=via,
            at=timezone.now(),
            previous_hash=_chain_head_locked(),
        )
        entry.save(force_insert=True)
    return entry


@dataclass(frozen=True)
class Change:
    """One entry for ``audit_record_many``."""

    action: str
    target: object
    changes: dict


def audit_record_many(*, actor, records: list[Change], via: str = "") -> int:
    """Append many entries at once (imports): one lock, the chain computed here, bulk inserts."""
    if not records:
        return 0
    with transaction.atomic():
        previous_hash = _chain_head_locked()
        now = timezone.now()
        entries = []
        for record in records:
            entry = _new_entry(
                actor=actor,
                action=record.action,
                target_type=record.target._meta.label_lower,
                target_id=record.target.pk,
                changes=record.changes,
                via=via,
                at=now,
                previous_hash=previous_hash,
            )
            previous_hash = entry.hash
            entries.append(entry)
        AuditEntry.objects.bulk_create(entries, batch_size=BULK_BATCH)
    return len(entries)


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    at: datetime.datetime
    reason: str


def audit_verify(*, chunk_size: int = BULK_BATCH) -> tuple[int, ChainBreak | None, str]:
    """Recompute the chain in id order: (entries checked, the first break or None, the head hash)."""
    expected_previous = ""
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=chunk_size):
        if entry.previous_hash != expected_previous:
            return checked, ChainBreak(entry.pk, entry.at, "the entry before it was removed or altered"), ""
        if _entry_digest_of(entry) != entry.hash:
            return checked, ChainBreak(entry.pk, entry.at, "its content does not match its hash"), ""
        expected_previous = entry.hash
        checked += 1
    return checked, None, expected_previous
