import secrets
import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eed.enums import CeremonyState, DilemmaSetting, OathForm, Outcome, WitnessAnswer


class Officiant(models.Model):
    """A user with the Officiant role and the appointing bodies they may swear in for."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officiant")
    function = models.CharField(_("function"), max_length=150, help_text=_('For example "provinciesecretaris".'))
    civil_service = models.BooleanField(_("for the civil service"), default=True)
    griffie = models.BooleanField(_("for the griffie"), default=False)

    class Meta:
        verbose_name = _("officiant")
        verbose_name_plural = _("officiants")

    def __str__(self):
        return f"{self.user} ({self.function})"

    def serves(self, appointing_body: str) -> bool:
        return {"civil_service": self.civil_service, "griffie": self.griffie}.get(appointing_body, False)


class ProgrammeItem(models.Model):
    """An item of the integrity programme around the ceremony (editable list)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Ceremony(models.Model):
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    officiant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officiant"), on_delete=models.PROTECT, related_name="ceremonies_led"
    )
    capacity = models.PositiveSmallIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    programme = models.ManyToManyField(ProgrammeItem, verbose_name=_("programme"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=CeremonyState.choices, default=CeremonyState.PLANNED)
    notes = models.TextField(_("notes"), blank=True)
    # The calendar identity: one UID for the ceremony's whole life (shared/ICS.md).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ceremony")
        verbose_name_plural = _("ceremonies")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="ceremony_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="ceremony_capacity_positive"),
            models.CheckConstraint(condition=models.Q(state__in=CeremonyState.values), name="ceremony_state_valid"),
            models.CheckConstraint(
                condition=~models.Q(place="") | ~models.Q(video_url=""), name="ceremony_has_place_or_link"
            ),
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.place or self.video_url}"

    @property
    def location(self) -> str:
        return self.place or self.video_url


class Appointment(models.Model):
    """A newcomer in a ceremony. Moving or cancelling ends it (``ended_at``) and
    a new one starts, so the appointments of a newcomer are its history."""

    newcomer = models.ForeignKey("onboarding.Newcomer", on_delete=models.PROTECT, related_name="appointments")
    ceremony = models.ForeignKey(Ceremony, on_delete=models.PROTECT, related_name="appointments")
    witness = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("witness"),
        on_delete=models.PROTECT,
        related_name="witness_appointments",
        null=True,
        blank=True,
    )
    witness_answer = models.CharField(
        _("witness answer"), max_length=20, choices=WitnessAnswer.choices, default=WitnessAnswer.PENDING
    )
    witness_answered_at = models.DateTimeField(null=True, blank=True)
    witness_requested_at = models.DateTimeField(null=True, blank=True)
    witness_reminded_at = models.DateTimeField(null=True, blank=True)
    witness_hr_alerted_at = models.DateTimeField(null=True, blank=True)
    substitute_suggestion = models.CharField(_("suggested substitute"), max_length=300, blank=True)
    form = models.CharField(_("form"), max_length=20, choices=OathForm.choices, blank=True)
    adapted_manner = models.TextField(_("adapted manner needed"), blank=True)
    attendance_confirmed_at = models.DateTimeField(null=True, blank=True)
    late_reason = models.TextField(_("reason for a ceremony after the deadline"), blank=True)
    link_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    # The ceremony day, from the attendance sheet (eed.proofs.attendance). A taken oath
    # is a legal record: it stays the current appointment and changes only by
    # a correction (eed.proofs.corrections), which keeps the values it replaces.
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    form_used = models.CharField(_("form used"), max_length=20, choices=OathForm.choices, blank=True)
    adapted_manner_used = models.TextField(_("adapted manner used"), blank=True)
    witness_present = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("witness present"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    witness_present_name = models.CharField(_("witness present (name, if not a user)"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["ceremony__starts_at", "newcomer__surname", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["newcomer"], condition=models.Q(ended_at__isnull=True), name="one_current_appointment"
            ),
            models.CheckConstraint(
                condition=models.Q(witness_answer__in=WitnessAnswer.values), name="appointment_answer_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="", recorded_at__isnull=True)
                | models.Q(outcome__in=Outcome.values, recorded_at__isnull=False),
                name="appointment_outcome_recorded",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome=Outcome.TAKEN)
                | (~models.Q(form_used="") & models.Q(ended_at__isnull=True)),
                name="appointment_taken_has_form_and_stays",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome=Outcome.ABSENT) | models.Q(ended_at__isnull=False),
                name="appointment_absent_is_ended",
            ),
        ]
        indexes = [models.Index(fields=["ceremony", "ended_at"], name="appointment_ceremony_current")]

    def __str__(self):
        return f"{self.newcomer} @ {self.ceremony}"

    @property
    def is_late(self) -> bool:
        return timezone.localtime(self.ceremony.starts_at).date() > self.newcomer.deadline

    @property
    def witness_present_label(self) -> str:
        if self.witness_present_id is not None:
            return str(self.witness_present)
        return self.witness_present_name


class InviteCopy(models.Model):
    """What one person's calendar holds of a ceremony: its SEQUENCE and content.

    Each recipient gets their own copy (their attendee list holds only the
    people they need to see, AVG), with its own rising SEQUENCE; ``fingerprint``
    tells whether what they hold differs from what they should hold.
    """

    ceremony = models.ForeignKey(Ceremony, on_delete=models.CASCADE, related_name="invite_copies")
    email = models.EmailField()
    sequence = models.PositiveIntegerField(default=0)
    fingerprint = models.CharField(max_length=64)
    cancelled = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ceremony", "email"], name="one_invite_copy_per_person")]

    def __str__(self):
        return f"{self.ceremony.uid} → {self.email} #{self.sequence}"


class CalendarFeed(models.Model):
    """The secret of a staff user's private calendar feed (stored hashed, rotatable)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return str(self.user)


class DigestLog(models.Model):
    """Which weekly deadline digest went to whom, so a second run sends nothing twice."""

    recipient = models.EmailField()
    week = models.CharField(max_length=8, help_text="ISO week, e.g. 2026-W48")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipient", "week"], name="one_digest_per_week")]

    def __str__(self):
        return f"{self.recipient} {self.week}"


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


class DilemmaSession(models.Model):
    """One playing of the integrity dilemma game: in a ceremony's programme or for a team."""

    date = models.DateField(_("date"))
    setting = models.CharField(_("setting"), max_length=20, choices=DilemmaSetting.choices)
    ceremony = models.ForeignKey(
        Ceremony,
        verbose_name=_("ceremony"),
        on_delete=models.PROTECT,
        related_name="dilemma_sessions",
        null=True,
        blank=True,
    )
    team_name = models.CharField(_("team"), max_length=200, blank=True)
    facilitator = models.CharField(_("facilitator"), max_length=200)
    participants = models.PositiveIntegerField(_("participants"))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("dilemma game session")
        verbose_name_plural = _("dilemma game sessions")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(participants__gte=0), name="dilemma_participants_not_negative"),
            models.CheckConstraint(
                condition=models.Q(setting=DilemmaSetting.CEREMONY, ceremony__isnull=False, team_name="")
                | (models.Q(setting=DilemmaSetting.TEAM, ceremony__isnull=True) & ~models.Q(team_name="")),
                name="dilemma_setting_matches",
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.team_name or self.get_setting_display()}"
