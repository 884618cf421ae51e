"""Ceremonies, their officiants and programme, and each newcomer's appointment with its witness."""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eed.enums import CeremonyState, OathForm, Outcome, WitnessAnswer


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
    def day(self):
        """The ceremony's date in Dutch time: the day compared with start dates and deadlines."""
        return timezone.localtime(self.starts_at).date()

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
    # What the newcomer said through their link: coming (confirmed), not coming (declined, with an optional
    # reason), or neither yet. Never both: the service clears one when it sets the other.
    attendance_confirmed_at = models.DateTimeField(null=True, blank=True)
    attendance_declined_at = models.DateTimeField(null=True, blank=True)
    absence_reason = models.CharField(_("reason for not coming"), max_length=300, blank=True)
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
            models.CheckConstraint(
                condition=models.Q(attendance_confirmed_at__isnull=True)
                | models.Q(attendance_declined_at__isnull=True),
                name="appointment_attendance_one_answer",
            ),
        ]
        indexes = [
            models.Index(fields=["ceremony", "ended_at"], name="appointment_ceremony_current"),
            # "Is this newcomer in this ceremony?", asked of every candidate on a ceremony's page (issue #19).
            models.Index(fields=["ceremony", "newcomer"], name="appointment_ceremony_newcomer"),
            # The annual counts (eed/counts/figures.py) over the taken oaths only, read from the index alone
            # (no table row per appointment): per ceremony of the year, and "sworn by the deadline?" per
            # newcomer (issue #19: 0.4 s at 100,000 newcomers on SQLite without them).
            models.Index(
                fields=["ceremony", "outcome", "form_used", "newcomer"],
                condition=models.Q(outcome="taken"),
                name="appointment_taken_by_ceremony",
            ),
            models.Index(
                fields=["newcomer", "outcome", "ceremony"],
                condition=models.Q(outcome="taken"),
                name="appointment_taken_by_newcomer",
            ),
        ]

    def __str__(self):
        return f"{self.newcomer} @ {self.ceremony}"

    @property
    def attendance(self) -> str:
        """``coming``, ``not_coming`` or ``""`` (no answer yet), from the newcomer's answer."""
        if self.attendance_confirmed_at:
            return "coming"
        return "not_coming" if self.attendance_declined_at else ""

    @property
    def is_late(self) -> bool:
        return self.ceremony.day > self.newcomer.deadline

    @property
    def witness_present_label(self) -> str:
        if self.witness_present_id is not None:
            return str(self.witness_present)
        return self.witness_present_name
