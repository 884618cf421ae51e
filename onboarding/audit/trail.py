"""The audit trail: every service that changes a record writes one entry.

Entries form a hash chain: each one stores the SHA-256 of its own content
(time, actor, channel, action, target, and the digest of its changes)
together with the previous entry's hash, so editing, deleting or inserting an
entry afterwards shows up in ``manage.py verify_audit``.

Redaction (retention, AVG): the chain covers ``changes_digest``, the SHA-256
of a random per-entry salt and the changes, not the changes themselves. When
retention anonymises a person, ``audit_redact`` blanks the personal values in
their entries, forgets the salt (so the old digest cannot be used to guess a
name) and keeps the digest, so the chain stays whole. The redacted entries
are then sealed by a new entry whose changes hold the SHA-256 over their
hashes and redacted contents: verify_audit checks that seal, so a redacted
entry cannot be altered unseen either. Entries are appended under a lock (PostgreSQL:
a transaction-level advisory lock; SQLite: the IMMEDIATE transaction already
serialises writers), so two concurrent writers cannot fork the chain.

``via`` tells how a change came in when no user did it in the app: a personal
link (``link:declaration``, ``link:newcomer``), a command
(``command:send_reminders``), the Django admin (``admin``), an import.
"""

import datetime
import hashlib
import json
import secrets
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from onboarding.models import AuditEntry

# pg_advisory_xact_lock key: any constant shared by every writer of the chain.
CHAIN_LOCK_KEY = 0x6175646974  # "audit"
BULK_BATCH = 2000


def _plain(value):
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.UTC).isoformat()  # the same moment reads the same from any time zone
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


def _canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def changes_digest(*, salt: str, changes) -> str:
    """SHA-256 (hex) of the salt and the changes as stored."""
    return hashlib.sha256(salt.encode() + _canonical(changes)).hexdigest()


def _digest(*, previous_hash: str, at, actor_id, via: str, action: str, target_type: str, target_id: str, **rest):
    content = {
        "previous": previous_hash,
        "at": at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "actor": actor_id,
        "via": via,
        "action": action,
        "target": [target_type, target_id],
        **rest,
    }
    return hashlib.sha256(_canonical(content)).hexdigest()


def entry_digest(*, changes_digest: str, **content) -> str:
    """SHA-256 (hex) of an entry's content, its changes' digest and the previous entry's hash; ids play no part."""
    return _digest(changes_digest=changes_digest, **content)


def entry_digest_v1(*, changes, **content) -> str:
    """The first scheme, over the changes themselves: kept for migrations 0012 and 0014 only."""
    return _digest(changes=changes, **content)


def _entry_digest_of(entry: AuditEntry) -> str:
    return entry_digest(
        previous_hash=entry.previous_hash,
        at=entry.at,
        actor_id=entry.actor_id,
        via=entry.via,
        action=entry.action,
        target_type=entry.target_type,
        target_id=entry.target_id,
        changes_digest=entry.changes_digest,
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
        salt=secrets.token_hex(16),
        previous_hash=previous_hash,
    )
    entry.changes_digest = changes_digest(salt=entry.salt, changes=entry.changes)
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


def audit_record_many(*, actor, records: list[Change], via: str = "") -> list[AuditEntry]:
    """Append many entries at once (imports): one lock, the chain computed here, bulk inserts."""
    if not records:
        return []
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
    return entries


# The action of the entry that records a redaction and seals the redacted entries.
REDACTION_ACTION = "newcomer.anonymise"


def redaction_seal(entries) -> str:
    """SHA-256 over the redacted entries' hashes and contents, taken in hash order."""
    seal = hashlib.sha256()
    for entry in sorted(entries, key=lambda entry: entry.hash):
        seal.update(entry.hash.encode() + b":" + _canonical(entry.changes) + b"\n")
    return seal.hexdigest()


@dataclass(frozen=True)
class Redaction:
    """One sealing entry for ``audit_redact``: its target, the entries it redacts, and what else it records."""

    target: object
    entries: list[AuditEntry]
    changes: dict


def audit_redact(*, redactions: list[Redaction], redact, via: str) -> list[AuditEntry]:
    """Blank personal values in each redaction's entries and seal them with one new entry about its target.

    The entries must have been read with ``select_for_update`` in the caller's
    transaction; those already redacted are left as they are. ``redact`` maps
    an entry's changes to what may stay. The chain keeps its hashes (they
    cover the salted digest, which stays); the salt goes, so the digest no
    longer lets anyone test a guess. Each new entry's changes carry the seal
    that ``audit_verify`` checks. One lock and two bulk writes for them all.
    """
    with transaction.atomic():
        records = []
        for redaction in redactions:
            pending = [entry for entry in redaction.entries if entry.redacted_by_id is None]
            for entry in pending:
                entry.changes = _json_ready(redact(entry.changes))
                entry.salt = ""
            seal = {"redacted_entries": len(pending), "seal": redaction_seal(pending)}
            records.append((Change(REDACTION_ACTION, redaction.target, {**redaction.changes, **seal}), pending))
        sealing = audit_record_many(actor=None, records=[change for change, _pending in records], via=via)
        redacted = []
        for sealing_entry, (_change, pending) in zip(sealing, records, strict=True):
            for entry in pending:
                entry.redacted_by = sealing_entry
            redacted.extend(pending)
        _save_redacted(redacted)
    return sealing


def _save_redacted(entries: list[AuditEntry]) -> None:
    """One parameterised UPDATE per entry through executemany: bulk_update's CASE per row is ~30x slower here."""
    changes = AuditEntry._meta.get_field("changes")
    table = connection.ops.quote_name(AuditEntry._meta.db_table)  # the model's own table name, not input
    sql = f"UPDATE {table} SET changes = %s, salt = '', redacted_by_id = %s WHERE id = %s"  # noqa: S608
    rows = [(changes.get_db_prep_save(entry.changes, connection), entry.redacted_by_id, entry.pk) for entry in entries]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    at: datetime.datetime
    reason: str


def audit_verify(*, chunk_size: int = BULK_BATCH) -> tuple[int, ChainBreak | None, str]:
    """Recompute the chain in id order, then the redaction seals: (entries checked, first break or None, head)."""
    expected_previous = ""
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=chunk_size):
        if entry.previous_hash != expected_previous:
            return checked, ChainBreak(entry.pk, entry.at, "the entry before it was removed or altered"), ""
        if entry.redacted_by_id is None and changes_digest(salt=entry.salt, changes=entry.changes) != (
            entry.changes_digest
        ):
            return checked, ChainBreak(entry.pk, entry.at, "its changes do not match their digest"), ""
        if _entry_digest_of(entry) != entry.hash:
            return checked, ChainBreak(entry.pk, entry.at, "its content does not match its hash"), ""
        expected_previous = entry.hash
        checked += 1
    broken = _first_broken_seal(chunk_size=chunk_size)
    if broken is not None:
        return checked, broken, ""
    return checked, None, expected_previous


def _first_broken_seal(*, chunk_size: int) -> ChainBreak | None:
    """The first sealing entry whose redacted entries are not what it sealed (one ordered pass)."""
    seals = {
        pk: (at, changes)
        for pk, at, changes in AuditEntry.objects.filter(action=REDACTION_ACTION).values_list("pk", "at", "changes")
    }
    redacted = (
        AuditEntry.objects.filter(redacted_by__isnull=False)
        .order_by("redacted_by_id", "hash")
        .only("pk", "at", "hash", "changes", "redacted_by")
    )
    sealed = set()
    for sealing_id, group in groupby(redacted.iterator(chunk_size=chunk_size), key=lambda entry: entry.redacted_by_id):
        entries = list(group)
        if sealing_id not in seals:
            return ChainBreak(entries[0].pk, entries[0].at, "it claims a redaction that no sealing entry records")
        at, changes = seals[sealing_id]
        if changes.get("redacted_entries") != len(entries) or changes.get("seal") != redaction_seal(entries):
            return ChainBreak(sealing_id, at, "the entries it redacted were altered afterwards")
        sealed.add(sealing_id)
    for sealing_id, (at, changes) in sorted(seals.items()):
        if sealing_id not in sealed and changes.get("redacted_entries"):
            return ChainBreak(sealing_id, at, "the entries it redacted were altered afterwards")
    return None
