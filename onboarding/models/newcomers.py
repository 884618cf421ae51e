"""Newcomers and the import batches that bring them in."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onboarding.enums import AppointingBody, Kind, Status
from onboarding.newcomers.appointing import appointing_body_problem
from onboarding.newcomers.deadlines import oath_deadline
from onboarding.newcomers.search import SEARCHED_FIELDS, search_key

# What HR records about a newcomer, in the order the form shows it: the form, the import, the audit
# trail and the exports all take their fields from here. The deadline follows from the start date.
NEWCOMER_FIELDS = (
    "given_names",
    "surname_prefix",
    "surname",
    "email",
    "personnel_number",
    "start_date",
    "kind",
    "manager",
    "appointing_body",
    "notes",
    "end_date",
    "language",
)
# What the audit trail records of a newcomer: the entered fields and the deadline they lead to.
AUDITED_FIELDS = (*NEWCOMER_FIELDS, "deadline")


def personnel_number_taken(number: str, holder: "Newcomer") -> str:
    """Why a second newcomer cannot have this personnel number: it names who has it."""
    return gettext("Personnel number %(number)s is already registered for %(name)s.") % {
        "number": number,
        "name": holder.full_name,
    }


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
    # and sort on it. Set only through start_on(), which keeps it in step.
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
    # The names and personnel number folded for searching (newcomers.search); kept by save() and the import.
    search_key = models.TextField(_("search key"), blank=True, default="", editable=False)
    # The import that last created or changed this person (the list's "this import" filter); the audit
    # trail holds every one, marked ``via=import:<batch id>``.
    last_import = models.ForeignKey(
        "onboarding.ImportBatch",
        verbose_name=_("last import"),
        on_delete=models.SET_NULL,
        related_name="newcomers",
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NewcomerQuerySet.as_manager()

    class Meta:
        verbose_name = _("newcomer")
        verbose_name_plural = _("newcomers")
        ordering = ["surname", "given_names", "id"]
        indexes = [
            models.Index(fields=["surname", "given_names", "id"], name="newcomer_sort_name"),
            # Newcomers by deadline and kind from the index alone: the annual counts' "not sworn by their
            # deadline" reads every deadline of five years (eed/counts/figures.py, issue #19).
            models.Index(fields=["deadline", "kind"], name="newcomer_deadline_kind"),
        ]
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

    def save(self, *args, **kwargs):
        self.refresh_search_key()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(SEARCHED_FIELDS):
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    def unique_error_message(self, model_class, unique_check):
        """A personnel number in use names its holder (Django's message says neither who nor which number)."""
        if tuple(unique_check) == ("personnel_number",):
            holder = Newcomer.objects.filter(personnel_number=self.personnel_number).exclude(pk=self.pk).first()
            if holder is not None:
                return ValidationError(personnel_number_taken(self.personnel_number, holder), code="unique")
        return super().unique_error_message(model_class, unique_check)

    def clean(self):
        super().clean()
        if problem := appointing_body_problem(self.kind, self.appointing_body):
            raise ValidationError({"appointing_body": problem})

    def refresh_search_key(self) -> None:
        """Keep the folded names in step with the names (bulk writes call this themselves)."""
        self.search_key = search_key(**{name: getattr(self, name) or "" for name in SEARCHED_FIELDS})

    def start_on(self, day) -> None:
        """Set the start date and, when it changes, the legal deadline that follows from it."""
        if self.start_date != day or self.deadline is None:
            self.start_date = day
            self.deadline = oath_deadline(day) if day else None

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


class ImportBatch(models.Model):
    """An uploaded newcomer file, kept between preview and confirmation.

    The file is read once, on upload: ``parsed_rows`` keeps its rows with their
    problems as JSON Lines (``imports.stored.stored_import``), emptied once applied.
    An import of only the valid rows keeps the rows it left out, in the same form,
    in ``left_out_rows`` (for their download, until retention empties it) and
    their number in ``left_out_count``. ``content`` is no longer filled; batches
    uploaded before parsed rows were kept still hold their file there.
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
    left_out_count = models.PositiveIntegerField(default=0)
    left_out_rows = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return self.filename
