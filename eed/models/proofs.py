"""Proofs of oath or affirmation (certificates with their numbers and scans) and corrections of outcomes."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eed.enums import OathForm
from eed.models.ceremonies import Appointment


def scan_folder(year: int) -> str:
    return f"scans/{year}"


def scan_upload_to(instance, filename: str) -> str:
    """Under MEDIA_ROOT, never served as public media (HR downloads through a view).

    Named after the certificate's number, so retention finds every file of a proof
    (eed.proofs.certificates.scan_files_by_newcomer) without a record of each name."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"{scan_folder(instance.year)}/{instance.number}-{secrets.token_hex(8)}.{extension}"


class CertificateQuerySet(models.QuerySet):
    """Bulk updates may only revoke or attach the signed scan: what a proof says stays as issued."""

    MUTABLE_FIELDS = frozenset(
        {"revoked_at", "revoked_by", "revoked_reason", "scan", "scan_sha256", "scan_content_type", "scan_uploaded_at"}
        | {"scan_uploaded_by"}
    )

    def update(self, **kwargs):
        refused = set(kwargs) - self.MUTABLE_FIELDS
        if refused:
            raise ValueError(f"A certificate is immutable; refused: {', '.join(sorted(refused))}.")
        return super().update(**kwargs)

    def of_kept_people(self):
        """Proofs of people not yet anonymised: the others can no longer be printed or verified."""
        return self.filter(appointment__newcomer__anonymised_at__isnull=True)

    def anonymise(self):
        """The one exception to immutability: retention blanks the names (the scan file is removed apart)."""
        return super().update(full_name="", public_name="", witness_name="", scan="", scan_content_type="")


class Certificate(models.Model):
    """The proof of oath or affirmation of a taken appointment, with what it prints as issued.

    Issued by eed.proofs.certificates.certificate_issue; afterwards only revoked (a
    correction issues a new one, with a new number and code) or given its
    signed scan. The verification code, not the number, is in the QR code.
    """

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="certificates")
    number = models.CharField(_("number"), max_length=30, unique=True)
    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    verification_code = models.CharField(_("verification code"), max_length=64, unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="nl")
    text = models.ForeignKey("onboarding.Text", verbose_name=_("formula"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("onboarding.OrganisationProfile", on_delete=models.PROTECT, related_name="+")
    form = models.CharField(_("form"), max_length=20, choices=OathForm.choices)
    full_name = models.CharField(_("name"), max_length=400)
    public_name = models.CharField(_("initials and surname"), max_length=300)
    oath_date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300)
    officiant_name = models.CharField(_("officiant"), max_length=400)
    officiant_function = models.CharField(_("officiant's function"), max_length=150, blank=True)
    witness_name = models.CharField(_("witness"), max_length=400, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Of the PDF/A as issued (its own language, not revoked), written with the row: an uploaded file is
    # recognised by it on the verification page. Blank for proofs issued before it was recorded.
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF as issued"), max_length=64, blank=True, db_index=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    scan = models.FileField(_("signed scan"), upload_to=scan_upload_to, blank=True, max_length=200)
    scan_sha256 = models.CharField(_("SHA-256 of the scan"), max_length=64, blank=True)
    scan_content_type = models.CharField(max_length=50, blank=True)
    scan_uploaded_at = models.DateTimeField(_("scan uploaded at"), null=True, blank=True)
    scan_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year", "sequence"], name="certificate_sequence_unique"),
            models.UniqueConstraint(
                fields=["appointment"], condition=models.Q(revoked_at__isnull=True), name="one_valid_certificate"
            ),
            models.CheckConstraint(condition=models.Q(form__in=OathForm.values), name="certificate_form_valid"),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True, revoked_reason="")
                | (models.Q(revoked_at__isnull=False) & ~models.Q(revoked_reason="")),
                name="certificate_revocation_has_reason",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class CertificateCounter(models.Model):
    """The last sequence used per prefix and year; its row is locked while a number is taken."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="one_counter_per_prefix_year")]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"


class Correction(models.Model):
    """An explicit change to a recorded outcome, with its reason and the values it replaced."""

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="corrections")
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))
    revoked_certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    issued_certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["at", "id"]
        constraints = [models.CheckConstraint(condition=~models.Q(reason=""), name="correction_has_reason")]

    def __str__(self):
        return f"{self.appointment_id} {self.at:%Y-%m-%d %H:%M}"

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for each value the correction changed."""
        return [
            (name, self.before.get(name), value) for name, value in self.after.items() if self.before.get(name) != value
        ]
