"""Retention (AVG): personal data is kept for RETENTION_YEARS after a person's last event, then anonymised.

A person's last event is the latest of their start date, their oath
deadline, the end of their engagement (when HR recorded it), the start of any
ceremony they were booked for, and the sending or signing of any declaration
link. Once all of these lie more than RETENTION_YEARS back, the names,
e-mail address, personnel number, notes, free texts (reasons, adapted
manner, substitute), signing IP address and user agent, the names printed on
their proofs and the signed scans (every file of them still stored,
also one a replaced upload left behind) are removed, and their audit entries are
redacted under a seal (``onboarding.audit.trail.audit_redact``).

What stays is what the annual counts read: kind, appointing body, dates,
outcomes, forms, certificate numbers, signature and withdrawal times. So the
counts of past years do not change.

Working files go sooner: queued mail and digest logs after RETENTION_MAIL_DAYS,
invite copies once their ceremony is that long past, uploaded import files
after RETENTION_UPLOAD_DAYS (unconfirmed uploads deleted, confirmed ones
emptied).

Safe when cron runs it on two machines at once: people are taken in batches
with ``SELECT … FOR UPDATE SKIP LOCKED``, so each is anonymised by one run,
and the clean-ups are plain deletes that the other run finds done.

One failing person does not stop the run: a batch that fails is rolled back
and done again person by person, each in its own savepoint
(``core.jobs.each_item``); who still fails is logged by id, left for
the next run and counted in the report's ``failed``, as is a clean-up that
fails.
"""

import datetime
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat, Lower

from core.clock import job_moment, local_midnight
from core.jobs import each_item
from onboarding.audit.history import history_entries_by_newcomer
from onboarding.audit.trail import Redaction, audit_redact
from onboarding.models import DeclarationRequest, DeclarationSignature, ImportBatch, Newcomer, QueuedMail
from onboarding.newcomers.deadlines import add_months

VIA = "command:apply_retention"
BATCH = 200

# Keys of audit changes (and of corrections' before/after) that hold no personal data. Everything else is
# redacted: a key added later is removed by default rather than kept by mistake.
KEPT_KEYS = frozenset(
    {
        "absent",
        "answer",
        "appointing_body",
        "appointment",
        "appointments_ended",
        "ceremony",
        "certificate",
        "deadline",
        "end_date",
        "ends_at",
        "expires_at",
        "files_removed",
        "form",
        "form_used",
        "kind",
        "language",
        "late",
        "manager",
        "moved_from",
        "newcomer",
        "number",
        "officiant",
        "opened_at",
        "outcome",
        "recorded_at",
        "redacted_entries",
        "roles",
        "seal",
        "sent_at",
        "sha256",
        "start_date",
        "starts_at",
        "state",
        "step",
        "taken",
        "text",
        "text_sha256",
        "type",
        "version",
        "withdrawn_at",
        "witness",
        "witness_answer",
        "witness_present",
    }
)


def redact_values(value, key: str | None = None):
    """The same structure with every value whose key is not in KEPT_KEYS replaced by None.

    "before" and "after" take their parent's key, so {"surname": {"before": …, "after": …}} loses both.
    """
    if isinstance(value, dict):
        return {
            name: redact_values(inner, key if name in ("before", "after") else name) for name, inner in value.items()
        }
    if isinstance(value, list):
        return [redact_values(inner, key) for inner in value]
    return value if key in KEPT_KEYS else None


def retention_cutoff(today: datetime.date, years: int | None = None) -> datetime.date:
    """Events before this day are past the retention period."""
    years = settings.RETENTION_YEARS if years is None else years
    return add_months(today, -12 * years)


def newcomers_past_retention(today: datetime.date) -> QuerySet:
    """People not yet anonymised whose every event lies before the cutoff."""
    from eed.models import Appointment

    cutoff = retention_cutoff(today)
    since = local_midnight(cutoff)
    recent_ceremony = Appointment.objects.filter(newcomer=OuterRef("pk"), ceremony__starts_at__gte=since)
    recent_link = DeclarationRequest.objects.filter(newcomer=OuterRef("pk"), sent_at__gte=since)
    recent_signature = DeclarationSignature.objects.filter(newcomer=OuterRef("pk"), signed_at__gte=since)
    return (
        Newcomer.objects.not_anonymised()
        .filter(start_date__lt=cutoff, deadline__lt=cutoff)
        .filter(Q(end_date__isnull=True) | Q(end_date__lt=cutoff))
        .exclude(Exists(recent_ceremony))
        .exclude(Exists(recent_link))
        .exclude(Exists(recent_signature))
    )


@dataclass
class RetentionReport:
    newcomers_anonymised: int = 0
    audit_entries_redacted: int = 0
    scans_removed: int = 0
    mails_deleted: int = 0
    digest_logs_deleted: int = 0
    invite_copies_deleted: int = 0
    imports_deleted: int = 0
    imports_emptied: int = 0
    failed: int = 0
    dry_run: bool = False
    cutoff: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def newcomers_anonymise(*, newcomers: list[Newcomer], now: datetime.datetime, report: RetentionReport) -> None:
    """Remove these people's personal data, counting in ``report``.

    Call inside a transaction that holds their rows. Set-wise: a few queries
    for the whole batch, and one sealing audit entry per person.
    """
    from eed.models import Appointment, Certificate, Correction, InviteCopy
    from eed.proofs.certificates import scan_files_by_newcomer

    ids = [newcomer.pk for newcomer in newcomers]
    emails = {newcomer.email.lower() for newcomer in newcomers if newcomer.email}
    copies = InviteCopy.objects.annotate(address=Lower("email")).filter(
        address__in=emails, ceremony__appointments__newcomer__in=ids
    )
    report.invite_copies_deleted += copies.delete()[0]
    Appointment.objects.filter(newcomer__in=ids).update(
        substitute_suggestion="", adapted_manner="", adapted_manner_used="", late_reason="", witness_present_name=""
    )
    corrections = list(Correction.objects.filter(appointment__newcomer__in=ids))
    for correction in corrections:
        correction.reason = "-"  # a correction must keep a reason
        correction.before = redact_values(correction.before)
        correction.after = redact_values(correction.after)
    Correction.objects.bulk_update(corrections, ["reason", "before", "after"])
    certificates = Certificate.objects.filter(appointment__newcomer__in=ids)
    scans = scan_files_by_newcomer(certificates)
    certificates.anonymise()
    DeclarationSignature.objects.filter(newcomer__in=ids).anonymise()
    Newcomer.objects.filter(pk__in=ids).update(
        given_names="",
        surname_prefix="",
        surname="",
        search_key="",
        email="",
        notes="",
        personnel_number=Concat(Value("anon-"), Cast("pk", CharField())),
        manager=None,
        anonymised_at=now,
    )

    entries = history_entries_by_newcomer(ids, lock=True)
    redactions = [
        Redaction(
            target=newcomer, entries=entries[newcomer.pk], changes={"files_removed": len(scans.get(newcomer.pk, []))}
        )
        for newcomer in newcomers
    ]
    sealing = audit_redact(redactions=redactions, redact=redact_values, via=VIA)
    files = [name for names in scans.values() for name in names]
    if files:
        transaction.on_commit(lambda: _remove_files(files))
    report.newcomers_anonymised += len(newcomers)
    report.audit_entries_redacted += sum(entry.changes["redacted_entries"] for entry in sealing)
    report.scans_removed += len(files)


def _remove_files(names: list[str]) -> None:
    from eed.models import Certificate

    storage = Certificate._meta.get_field("scan").storage
    for name in names:
        storage.delete(name)


def _anonymise_next_batch(
    *, today: datetime.date, now: datetime.datetime, report: RetentionReport, failing: set[int]
) -> int:
    """Anonymise the next batch (leaving out who failed before in this run); how many people it held."""
    with transaction.atomic():
        due = newcomers_past_retention(today).exclude(pk__in=failing).order_by("pk")
        batch = list(due.select_for_update(skip_locked=True)[:BATCH])
        if not batch:
            return 0
        counted = _anonymised(batch, now=now)
        if counted is None:  # find who fails: one by one
            counted = RetentionReport()
            for newcomer in batch:
                done = _anonymised([newcomer], now=now)
                if done is None:
                    failing.add(newcomer.pk)
                    report.failed += 1
                else:
                    _add_counts(counted, done)
        _add_counts(report, counted)
    return len(batch)


def _anonymised(newcomers: list[Newcomer], *, now: datetime.datetime) -> RetentionReport | None:
    """The counts of anonymising these people in a savepoint; None when it failed (rolled back and logged)."""
    counted = RetentionReport()
    first, last = newcomers[0].pk, newcomers[-1].pk
    with each_item("retention", first if first == last else f"{first}-{last}") as item:
        newcomers_anonymise(newcomers=newcomers, now=now, report=counted)
    return None if item.failed else counted


def _add_counts(report: RetentionReport, counted: RetentionReport) -> None:
    for key in ("newcomers_anonymised", "audit_entries_redacted", "scans_removed", "invite_copies_deleted"):
        setattr(report, key, getattr(report, key) + getattr(counted, key))


def _old_working_files(today: datetime.date) -> tuple[dict[str, QuerySet], QuerySet]:
    """(report key -> the rows to delete, the confirmed uploads to empty): what goes sooner than people."""
    from eed.models import DigestLog, InviteCopy

    midnight = local_midnight(today)
    mail_before = midnight - datetime.timedelta(days=settings.RETENTION_MAIL_DAYS)
    old_uploads = ImportBatch.objects.filter(
        uploaded_at__lt=midnight - datetime.timedelta(days=settings.RETENTION_UPLOAD_DAYS)
    )
    to_delete = {
        "mails_deleted": QueuedMail.objects.filter(created_at__lt=mail_before),
        "digest_logs_deleted": DigestLog.objects.filter(sent_at__lt=mail_before),
        "invite_copies_deleted": InviteCopy.objects.filter(ceremony__ends_at__lt=mail_before),
        "imports_deleted": old_uploads.filter(applied_at__isnull=True),
    }
    # A confirmed upload keeps nothing but, after an import of only its valid rows, the rows it left out.
    return to_delete, old_uploads.filter(applied_at__isnull=False).exclude(content=b"", left_out_rows="")


def _purge_working_files(*, today: datetime.date, report: RetentionReport) -> None:
    to_delete, to_empty = _old_working_files(today)
    for key, rows in to_delete.items():
        with each_item("retention clean-up", key) as step:
            setattr(report, key, getattr(report, key) + rows.delete()[0])
        report.failed += step.failed
    with each_item("retention clean-up", "imports_emptied") as step:
        report.imports_emptied = to_empty.update(content=b"", left_out_rows="")
    report.failed += step.failed


def _dry_run(*, today: datetime.date, report: RetentionReport) -> None:
    from eed.models import Certificate
    from eed.proofs.certificates import scan_files_by_newcomer

    due = newcomers_past_retention(today)
    report.newcomers_anonymised = due.count()
    ids = list(due.values_list("pk", flat=True))
    report.audit_entries_redacted = sum(
        len([entry for entry in entries if entry.redacted_by_id is None])
        for start in range(0, len(ids), BATCH)
        for entries in history_entries_by_newcomer(ids[start : start + BATCH]).values()
    )
    scans = scan_files_by_newcomer(Certificate.objects.filter(appointment__newcomer__in=due))
    report.scans_removed = sum(len(names) for names in scans.values())
    to_delete, to_empty = _old_working_files(today)
    for key, rows in to_delete.items():
        setattr(report, key, rows.count())
    report.imports_emptied = to_empty.count()


def retention_apply(*, today: datetime.date, dry_run: bool = False) -> RetentionReport:
    """Anonymise everyone past the retention period and clear old working files; or only count (dry run)."""
    now = job_moment(today)
    report = RetentionReport(dry_run=dry_run, cutoff=retention_cutoff(today).isoformat())
    if dry_run:
        _dry_run(today=today, report=report)
        return report
    failing: set[int] = set()
    while _anonymise_next_batch(today=today, now=now, report=report, failing=failing):
        pass
    _purge_working_files(today=today, report=report)
    return report
