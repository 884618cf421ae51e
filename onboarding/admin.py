"""The admin for onboarding's records; the base classes for records that change only through the app's
services (eed's admin uses them too).
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text_rules import TextRulesMixin
from onboarding.accounts import services
from onboarding.audit.trail import audit_record, snapshot
from onboarding.models import (
    AuditEntry,
    DeclarationRequest,
    DeclarationSignature,
    Newcomer,
    OrganisationProfile,
    QueuedMail,
    Text,
    User,
)

TEXT_AUDIT_FIELDS = ("kind", "language", "version", "valid_from", "title", "body", "closing_words", "source")


class TextRulesAdminForm(TextRulesMixin, forms.ModelForm):
    """The admin's form with the text rules (``core.text_rules``) on every text field."""


class TextRulesAdmin(admin.ModelAdmin):
    """An editable admin whose text fields keep the same rules as the app's forms."""

    form = TextRulesAdminForm


class IndexedValuesFilter(admin.AllValuesFieldListFilter):
    """The admin's filter on a field's values, reading the values by skipping through an index that the
    field leads: one index seek per distinct value (a "loose index scan") instead of the plain filter's
    SELECT DISTINCT over every row, about 100 ms on the audit trail's half million entries (issue #19).
    For NOT NULL fields that lead an index."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.lookup_choices = _indexed_values(model, field.column)


def _indexed_values(model, column: str) -> list:
    """The column's distinct values in order; ``WITH RECURSIVE`` reads the next larger one until none is left."""
    connection = connections[router.db_for_read(model)]
    table, column = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(column)
    sql = (
        f"WITH RECURSIVE seen(value) AS (SELECT MIN({column}) FROM {table} UNION ALL"  # noqa: S608 (names are quoted)
        f" SELECT (SELECT MIN({column}) FROM {table} WHERE {column} > seen.value)"
        f" FROM seen WHERE seen.value IS NOT NULL) SELECT value FROM seen WHERE value IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [value for (value,) in cursor.fetchall()]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted here: the services keep the rules and the audit trail."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VersionedAdmin(TextRulesAdmin):
    """Versioned data: a new version is added, a saved one is never edited or deleted."""

    def has_change_permission(self, request, obj=None):
        return obj is None

    def has_delete_permission(self, request, obj=None):
        return False


class UserCreationForm(TextRulesMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeForm(TextRulesMixin, BaseUserChangeForm):
    name_fields = ("first_name", "last_name")

    class Meta(BaseUserChangeForm.Meta):
        model = User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreationForm
    form = UserChangeForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    list_filter = ["groups", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "language"]}),
        (_("Roles and permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]})]
    actions = ["send_invitation"]

    @admin.action(description=_("Send an invitation mail (choose a password)"))
    def send_invitation(self, request, queryset):
        for user in queryset:
            services.invitation_send(user=user)
        self.message_user(request, _("Invitations sent: %(count)d") % {"count": queryset.count()})


@admin.register(Newcomer)
class NewcomerAdmin(ReadOnlyAdmin):
    """Read-only here: changes go through the app, which keeps the audit trail."""

    list_display = ["surname", "given_names", "personnel_number", "kind", "start_date", "deadline", "end_date"]
    search_fields = ["surname", "given_names", "personnel_number"]
    list_filter = ["kind", "appointing_body", ("anonymised_at", admin.EmptyFieldListFilter)]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Half a million entries after seven years (issue #19): the actor and redacting entry come in the page's
    query, the page shows no count of the whole trail, and the dates filter by period (today, this month,
    ...) instead of a date drill-down, which reads every entry's date to offer its years and months; the
    actions and object types offered come from their indexes."""

    list_display = ["at", "actor", "via", "action", "target_type", "target_id", "redacted_by"]
    list_filter = [
        ("at", admin.DateFieldListFilter),
        ("action", IndexedValuesFilter),
        ("target_type", IndexedValuesFilter),
        ("redacted_by", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["actor", "redacted_by"]
    show_full_result_count = False
    search_fields = ["=target_id", "=via"]


@admin.register(QueuedMail)
class QueuedMailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "attempts", "sent_at", "next_attempt_at"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    readonly_fields = [
        "created_at",
        "from_email",
        "recipients",
        "subject",
        "message_id",
        "size",
        "attempts",
        "sent_at",
        "last_error",
        "digest",
    ]
    exclude = ["message"]  # sealed until sent, then erased: never shown
    actions = ["retry_now"]

    @admin.action(description=_("Try again now"))
    def retry_now(self, request, queryset):
        """Skip the backoff; a message given up has no body left to send (the app sends a new one)."""
        queryset.filter(sent_at__isnull=True).exclude(message=b"").update(next_attempt_at=timezone.now(), attempts=0)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Text)
class TextAdmin(VersionedAdmin):
    """Texts are versioned: an administrator adds a new version, never edits one in use."""

    list_display = ["kind", "language", "version", "valid_from", "title"]
    list_filter = ["kind", "language"]
    readonly_fields = ["created_at"]

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="text.update" if change else "text.create",
            target=obj,
            changes=snapshot(obj, TEXT_AUDIT_FIELDS),
            via="admin",
        )


@admin.register(OrganisationProfile)
class OrganisationProfileAdmin(VersionedAdmin):
    """Versioned like texts: a change is a new version from a date on; proofs keep the one they printed."""

    list_display = ["name", "certificate_prefix", "city", "valid_from"]
    readonly_fields = ["created_at"]


@admin.register(DeclarationRequest)
class DeclarationRequestAdmin(ReadOnlyAdmin):
    list_display = ["newcomer", "language", "sent_at", "opened_at", "expires_at", "invalidated_at", "reminders_sent"]
    list_filter = ["language", ("invalidated_at", admin.EmptyFieldListFilter)]
    search_fields = ["newcomer__surname", "newcomer__personnel_number"]
    exclude = ["token_digest"]


@admin.register(DeclarationSignature)
class DeclarationSignatureAdmin(ReadOnlyAdmin):
    """Immutable: a signature is only ever withdrawn, by HR in the app, with a reason."""

    list_display = ["signed_name", "newcomer", "signed_at", "verification_code", "withdrawn_at"]
    list_filter = [("withdrawn_at", admin.EmptyFieldListFilter)]
    search_fields = ["signed_name", "verification_code", "newcomer__personnel_number"]
    exclude = ["token_digest"]
