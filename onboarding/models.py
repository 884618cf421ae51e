from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onboarding.enums import AppointingBody, Kind, Status, TextKind


class EmailUserManager(UserManager):
    """Users log in by e-mail; there is no username."""

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Users need an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="nl")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.email.strip().lower()


class NewcomerQuerySet(models.QuerySet):
    def not_anonymised(self):
        """People whose data is still kept: everything but the annual counts works on these."""
        return self.filter(anonymised_at__isnull=True)


class Newcomer(models.Model):
    given_names = models.CharField(_("given names"), max_length=150)
    surname_prefix = models.CharField(_("surname prefix"), max_length=30, blank=True)
    surname = models.CharField(_("surname"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    personnel_number = models.CharField(_("personnel number"), max_length=30, unique=True)
    start_date = models.DateField(_("start date"))
    # The legal deadline is fixed when the person starts, under the rule in
    # force then (deadlines.oath_deadline); stored so the database can filter
    # and sort on it. Services keep it in step with start_date.
    deadline = models.DateField(_("deadline"), db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.EMPLOYEE)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.PROTECT,
        related_name="managed_newcomers",
        null=True,
        blank=True,
    )
    appointing_body = models.CharField(
        _("appointing body"),
        max_length=20,
        choices=AppointingBody.choices,
        default=AppointingBody.CIVIL_SERVICE,
    )
    notes = models.TextField(_("notes"), blank=True)
    end_date = models.DateField(
        _("end of engagement"),
        null=True,
        blank=True,
        help_text=_("When known. Personal data is kept until the retention period after this date has passed."),
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="nl",
        help_text=_("Of the mails, calendar invites and personal pages this person gets."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NewcomerQuerySet.as_manager()

    class Meta:
        verbose_name = _("newcomer")
        verbose_name_plural = _("newcomers")
        ordering = ["surname", "given_names", "id"]
        indexes = [models.Index(fields=["surname", "given_names", "id"], name="newcomer_sort_name")]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="newcomer_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(appointing_body__in=AppointingBody.values),
                name="newcomer_appointing_body_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("start_date")), name="newcomer_deadline_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="newcomer_end_after_start",
                violation_error_message=_("The end of engagement cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        """Display form: "Jan van der Berg"."""
        if getattr(self, "anonymised_at", None) is not None:  # also borrowed by LinkState
            return gettext("(anonymised)")
        return " ".join(part for part in (self.given_names, self.surname_prefix, self.surname) if part)

    @property
    def sort_name(self):
        """Listing form: "Berg, Jan van der" (sorted on the surname without prefix)."""
        rest = " ".join(part for part in (self.given_names, self.surname_prefix) if part)
        return f"{self.surname}, {rest}" if rest else self.surname

    @property
    def status_label(self):
        """Label of the status annotated by selectors.with_status."""
        return Status(self.status).label

    @property
    def needs_oath(self):
        return self.kind != Kind.EXTERNAL


class AuditEntry(models.Model):
    """Who (or which link or command) changed what, when, with the values before and after.

    Written only by ``onboarding.audit.trail.audit_record``: each entry carries the
    SHA-256 of its content and of the previous entry (``manage.py verify_audit``).
    A user who appears in the trail cannot be deleted (deactivate them instead).
    """

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True
    )
    via = models.CharField(
        _("via"), max_length=50, blank=True, help_text=_("The link, command or admin through which the change came.")
    )
    action = models.CharField(_("action"), max_length=50)
    target_type = models.CharField(_("object type"), max_length=50)
    target_id = models.CharField(_("object id"), max_length=50)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # The chain covers the digest of salt + changes, so retention can blank personal values (and forget the
    # salt) without breaking it; the entry that did so, and seals the result, is ``redacted_by``.
    salt = models.CharField(max_length=32, blank=True)
    changes_digest = models.CharField(_("digest of the changes"), max_length=64, blank=True)
    redacted_by = models.ForeignKey(
        "self", verbose_name=_("redacted by"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    previous_hash = models.CharField(_("previous entry's hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"


class ImportBatch(models.Model):
    """An uploaded newcomer file, kept between preview and confirmation.

    The file is read once, on upload: ``parsed_rows`` keeps its rows with their
    problems as JSON Lines (``importing.stored_import``), emptied once applied.
    ``content`` is no longer filled; batches uploaded before parsed rows were
    kept still hold their file there.
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    content = models.BinaryField(blank=True, default=b"")
    parsed_rows = models.TextField(blank=True, default="")
    applied_at = models.DateTimeField(null=True, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return self.filename


class QueuedMail(models.Model):
    """One outgoing message, stored whole (MIME bytes, sealed) in the transaction that caused it.

    Sent by ``manage.py send_queued_mail`` (cron, every minute) with retries and
    backoff, and tried once right after the transaction commits. ``message``
    holds the bytes sealed with a key derived from SECRET_KEY
    (``onboarding.mail.seal``) and is emptied once the message is sent or given
    up; the other fields stay as the record of what was sent to whom.
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    from_email = models.CharField(_("from"), max_length=320)
    recipients = models.JSONField(_("recipients"), default=list)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    message = models.BinaryField(_("message"))
    message_id = models.CharField(_("Message-ID"), max_length=300, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    digest = models.CharField(
        _("digest of the sent message"),
        max_length=64,
        blank=True,
        help_text=_("HMAC-SHA256 (keyed with SECRET_KEY) of the bytes as sent; the message itself is erased."),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("queued mail")
        verbose_name_plural = _("mail queue")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"], name="queuedmail_due")]

    def __str__(self):
        return self.subject


class Text(models.Model):
    """A version of an official text: the oath or affirmation formula, the declaration.

    Versions are never edited once saved (what someone swore or signed must
    stay readable as it was); a change is a new version. The text in force is
    the newest version whose ``valid_from`` has passed (selectors.text_current).
    """

    kind = models.CharField(_("kind"), max_length=20, choices=TextKind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="nl")
    version = models.PositiveIntegerField(_("version"))
    valid_from = models.DateField(_("valid from"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    closing_words = models.CharField(
        _("closing words"), max_length=200, blank=True, help_text=_("What the newcomer answers, for formulas.")
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("text")
        verbose_name_plural = _("texts")
        ordering = ["kind", "language", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "language", "version"], name="text_version_unique"),
            models.CheckConstraint(condition=models.Q(kind__in=TextKind.values), name="text_kind_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version} ({self.language})"


class DeclarationRequest(models.Model):
    """A personal link that asks an external to sign the integrity declaration.

    Only the SHA-256 of the link's token is stored. A resend (or a withdrawal)
    sets ``invalidated_at``; at most one request per newcomer is active
    (not invalidated) at a time. A reminder replaces the token on the same
    request, so only the newest mail's link works.
    """

    newcomer = models.ForeignKey(
        Newcomer, verbose_name=_("newcomer"), on_delete=models.PROTECT, related_name="declaration_requests"
    )
    token_digest = models.CharField(_("link digest"), max_length=64, unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="nl")
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    expires_at = models.DateTimeField(_("expires at"))
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    invalidated_at = models.DateTimeField(_("invalidated at"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("declaration request")
        verbose_name_plural = _("declaration requests")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["newcomer"],
                condition=models.Q(invalidated_at__isnull=True),
                name="declarationrequest_one_active_per_newcomer",
            ),
        ]

    def __str__(self):
        return f"{self.newcomer} {self.sent_at:%Y-%m-%d}"


class DeclarationSignatureQuerySet(models.QuerySet):
    """Bulk updates may only touch the withdrawal fields: the signed evidence stays as it was."""

    WITHDRAWAL_FIELDS = frozenset({"withdrawn_at", "withdrawn_by", "withdrawal_reason"})

    def update(self, **kwargs):
        refused = set(kwargs) - self.WITHDRAWAL_FIELDS
        if refused:
            raise ValueError(f"A declaration signature is immutable; refused: {', '.join(sorted(refused))}.")
        return super().update(**kwargs)

    def anonymise(self):
        """The one exception to immutability: retention blanks who signed and from where."""
        return super().update(signed_name="", ip_address=None, user_agent="", withdrawal_reason="")


class DeclarationSignature(models.Model):
    """The evidence of a signed integrity declaration. Never edited.

    Written once by ``declaration_services.declaration_sign``; afterwards only
    the withdrawal fields change (``declaration_withdraw``). The admin shows it
    read-only, and ``DeclarationSignatureQuerySet.update`` refuses any other
    field.
    """

    newcomer = models.ForeignKey(
        Newcomer, verbose_name=_("newcomer"), on_delete=models.PROTECT, related_name="declaration_signatures"
    )
    request = models.OneToOneField(
        DeclarationRequest, verbose_name=_("link"), on_delete=models.PROTECT, related_name="signature"
    )
    token_digest = models.CharField(_("digest of the link used"), max_length=64)
    text = models.ForeignKey(Text, verbose_name=_("text"), on_delete=models.PROTECT, related_name="+")
    text_sha256 = models.CharField(_("SHA-256 of the text shown"), max_length=64)
    signed_name = models.CharField(_("signed name"), max_length=400)
    signed_at = models.DateTimeField(_("signed at"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.TextField(_("user agent"), blank=True)
    verification_code = models.CharField(_("verification code"), max_length=32, unique=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    objects = DeclarationSignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("declaration signature")
        verbose_name_plural = _("declaration signatures")
        ordering = ["-signed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["newcomer"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="declarationsignature_one_valid_per_newcomer",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True, withdrawal_reason="")
                | (models.Q(withdrawn_at__isnull=False) & ~models.Q(withdrawal_reason="")),
                name="declarationsignature_withdrawal_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.signed_name} {self.signed_at:%Y-%m-%d %H:%M}"

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None


class OrganisationProfile(models.Model):
    """A version of the organisation's details as printed on proofs of oath.

    Like texts, versions are not edited once saved: a change (a new logo, a
    new address) is a new version from a date on, so a proof always prints
    the details in force on its ceremony's day.
    """

    name = models.CharField(_("name"), max_length=200)
    certificate_prefix = models.CharField(
        _("certificate prefix"),
        max_length=10,
        validators=[RegexValidator(r"^[A-Z0-9]{1,10}$", _("Use capital letters and digits only, e.g. ZH."))],
        help_text=_('Starts every certificate number, e.g. "ZH" in ZH-2022-0042.'),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True, help_text=_("Printed as the place of the oath."))
    logo = models.ImageField(_("logo"), upload_to="organisation/", blank=True)
    valid_from = models.DateField(_("valid from"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation details")
        verbose_name_plural = _("organisation details")
        ordering = ["-valid_from", "-id"]

    def __str__(self):
        return f"{self.name} ({self.valid_from:%Y-%m-%d})"
