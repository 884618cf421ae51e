"""Operations on certificates (proofs of oath or affirmation): issue, revoke, attach the signed scan.

A certificate holds what its proof prints, as it was when issued, so a PDF
made years later says the same. It changes only by revocation (a correction
revokes the old proof and issues a new one, with a new number and code) and
by attaching the signed scan. Numbers run per organisation prefix and year
(``ZH-2022-0042``); the counter row is locked while a number is taken, so two
ceremonies recorded at once never share one.
"""

import hashlib
import logging
import re
import secrets
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import text_date
from core.events import CERTIFICATE_REVOKED, event_happened
from core.pdfa import sha256
from eed.models import Appointment, Certificate, CertificateCounter, scan_folder, scan_upload_to
from eed.proofs.documents import issued_pdf
from onboarding.audit.trail import audit_record
from onboarding.models import OrganisationProfile, Text
from onboarding.organisation import organisation_current, text_current

# secrets.token_urlsafe(24): 192 random bits in 32 URL-safe characters.
VERIFICATION_CODE_BYTES = 24
VERIFICATION_CODE_LENGTH = 32
# What a proof prints besides its number; a correction that changes any of
# these revokes the proof and issues a new one.
PROOF_FACTS = (
    "form",
    "full_name",
    "public_name",
    "oath_date",
    "place",
    "officiant_name",
    "officiant_function",
    "witness_name",
)
logger = logging.getLogger(__name__)

# Signed scans: recognised by their first bytes, never by name or browser's word.
SCAN_SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


def public_name(newcomer) -> str:
    """Initials and surname, as the public verification page shows them: "J.P. van der Berg"."""
    initials = "".join(f"{part[0].upper()}." for part in re.split(r"[\s-]+", newcomer.given_names) if part)
    return " ".join(part for part in (initials, newcomer.surname_prefix, newcomer.surname) if part)


def proof_facts(appointment: Appointment, *, organisation: OrganisationProfile | None = None) -> dict:
    """What a proof of this (taken) appointment prints, from the record as it stands now."""
    ceremony = appointment.ceremony
    officiant = ceremony.officiant
    oath_date = ceremony.day
    if organisation is None:
        organisation = organisation_current(today=oath_date)
    return {
        "form": appointment.form_used,
        "full_name": appointment.newcomer.full_name,
        "public_name": public_name(appointment.newcomer),
        "oath_date": oath_date,
        "place": ceremony.place or (organisation.city if organisation else ""),
        "officiant_name": officiant.get_full_name() or officiant.email,
        "officiant_function": getattr(getattr(officiant, "officiant", None), "function", ""),
        "witness_name": appointment.witness_present_label,
    }


def printed_facts(certificate: Certificate) -> dict:
    return {name: getattr(certificate, name) for name in PROOF_FACTS}


def _next_number(prefix: str, year: int) -> tuple[int, str]:
    """The next sequence for (prefix, year), taken under a row lock held until the transaction ends."""
    CertificateCounter.objects.get_or_create(prefix=prefix, year=year)
    counter = CertificateCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, f"{prefix}-{year}-{counter.last:04d}"


def in_force(appointment: Appointment, *, language: str = "nl") -> tuple[Text, OrganisationProfile]:
    """The formula and the organisation's details in force on the ceremony's day, or a clear refusal."""
    oath_date = appointment.ceremony.day
    text = text_current(appointment.form_used, language=language, today=oath_date)
    if text is None:
        raise ValidationError(
            _("No %(form)s formula is in force on %(date)s: add one in the administration (Texts).")
            % {"form": appointment.get_form_used_display(), "date": text_date(oath_date)}
        )
    organisation = organisation_current(today=oath_date)
    if organisation is None:
        raise ValidationError(
            _("No organisation details are in force on %(date)s: add them in the administration.")
            % {"date": text_date(oath_date)}
        )
    return text, organisation


@transaction.atomic
def certificate_issue(
    *, appointment: Appointment, by, language: str = "nl", text: Text | None = None, organisation=None, now=None
) -> Certificate:
    """A new proof for a taken appointment, with the next number and a fresh verification code.

    ``text`` and ``organisation`` may be passed when the caller has looked
    them up already (a whole ceremony at once); they must be the ones in force.
    Callers write their own audit entry first, so every transaction takes the
    audit chain's lock before the counter's (never the other way round).
    """
    if text is None or organisation is None:
        text, organisation = in_force(appointment, language=language)
    facts = proof_facts(appointment, organisation=organisation)
    sequence, number = _next_number(organisation.certificate_prefix, facts["oath_date"].year)
    certificate = Certificate(
        appointment=appointment,
        number=number,
        prefix=organisation.certificate_prefix,
        year=facts["oath_date"].year,
        sequence=sequence,
        verification_code=secrets.token_urlsafe(VERIFICATION_CODE_BYTES),
        language=language,
        text=text,
        organisation=organisation,
        issued_at=now or timezone.now(),
        issued_by=by if by is not None and by.is_authenticated else None,
        **facts,
    )
    # The PDF/A as issued is the same bytes at every download (eed.proofs.documents): its hash is kept.
    certificate.pdf_sha256 = sha256(issued_pdf(certificate))
    certificate.save(force_insert=True)
    audit_record(
        actor=by,
        action="certificate.issue",
        target=certificate,
        changes={
            "number": number,
            "appointment": appointment.pk,
            "text": text.pk,
            "form": facts["form"],
            "pdf_sha256": certificate.pdf_sha256,
        },
    )
    return certificate


def certificate_revoke(*, certificate: Certificate, by, reason: str, now=None) -> None:
    """Mark a proof as no longer valid; the verification page says so from now on."""
    now = now or timezone.now()
    revoked = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=by, revoked_reason=reason
    )
    if revoked:
        certificate.revoked_at, certificate.revoked_by, certificate.revoked_reason = now, by, reason
        audit_record(actor=by, action="certificate.revoke", target=certificate, changes={"number": certificate.number})
        newcomer_id = Appointment.objects.filter(pk=certificate.appointment_id).values_list("newcomer_id", flat=True)[0]
        data = {"certificateId": certificate.pk, "number": certificate.number, "newcomerId": newcomer_id}
        event_happened(CERTIFICATE_REVOKED, newcomer_id=newcomer_id, data={**data, "revokedAt": now.isoformat()})


def scan_type(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a PDF, PNG or JPEG file, from its first bytes; None otherwise."""
    for signature, content_type, extension in SCAN_SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def scan_check(upload) -> tuple[str, str]:
    """Refuse a file that is too large or not a PDF, PNG or JPEG; return its (content type, extension)."""
    if upload.size > settings.SCAN_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": settings.SCAN_MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    found = scan_type(upload.read(16))
    upload.seek(0)
    if found is None:
        raise ValidationError(_("Upload the scan as a PDF, PNG or JPEG file."))
    return found


def _scan_storage():
    return Certificate._meta.get_field("scan").storage


def scan_file_delete(name: str) -> None:
    """Delete a stored scan; a failure is logged, not raised (retention removes what is left)."""
    try:
        _scan_storage().delete(name)
    except OSError:
        logger.exception("Could not delete the replaced scan %s", name)


@transaction.atomic
def certificate_scan_attach(*, certificate: Certificate, by, upload, now=None) -> Certificate:
    """Store the signed proof's scan under MEDIA_ROOT with its SHA-256.

    A newer upload replaces the scan: the replaced file (a wrong or bad upload, the
    new one is the proof kept) is deleted once this is committed; the audit entry
    keeps its SHA-256.
    """
    content_type, extension = scan_check(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    # Locked, so that of two uploads at once the second replaces (and deletes) the first.
    replaced, before = (
        Certificate.objects.select_for_update().filter(pk=certificate.pk).values_list("scan", "scan_sha256").get()
    )
    name = _scan_storage().save(scan_upload_to(certificate, f"scan.{extension}"), upload)
    values = {
        "scan": name,
        "scan_sha256": digest.hexdigest(),
        "scan_content_type": content_type,
        "scan_uploaded_at": now or timezone.now(),
        "scan_uploaded_by": by,
    }
    Certificate.objects.filter(pk=certificate.pk).update(**values)
    for field, value in values.items():
        setattr(certificate, field, value)
    audit_record(
        actor=by,
        action="certificate.scan",
        target=certificate,
        changes={"sha256": {"before": before, "after": certificate.scan_sha256}, "type": content_type},
    )
    if replaced and replaced != name:
        transaction.on_commit(partial(scan_file_delete, replaced))
    return certificate


def _stored_names(storage, folder: str) -> list[str]:
    try:
        return storage.listdir(folder)[1]
    except FileNotFoundError:
        return []


def scan_files_by_newcomer(certificates) -> dict[int, list[str]]:
    """Every stored scan file of these certificates, per newcomer: the current scans and any file a
    replaced upload left behind (one whose deletion failed, or from before replacements were deleted).

    The files of a proof are those named after its number in its year's folder (scan_upload_to).
    """
    storage = _scan_storage()
    listings: dict[str, list[str]] = {}
    files: dict[int, set[str]] = {}
    rows = certificates.values_list("appointment__newcomer", "number", "year", "scan")
    for newcomer_id, number, year, current in rows:
        folder = scan_folder(year)
        if folder not in listings:
            listings[folder] = _stored_names(storage, folder)
        own = re.compile(re.escape(number) + r"-[0-9a-f]{16}(_[A-Za-z0-9]{7})?\.[a-z0-9]+")
        names = files.setdefault(newcomer_id, set())
        names.update(f"{folder}/{stored}" for stored in listings[folder] if own.fullmatch(stored))
        if current:
            names.add(current)
    return {newcomer_id: sorted(names) for newcomer_id, names in files.items() if names}
