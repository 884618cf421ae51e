"""Admin base classes for records that change only through the app's services."""

from django import forms
from django.contrib import admin

from onboarding.forms import TextRulesMixin


class TextRulesAdminForm(TextRulesMixin, forms.ModelForm):
    """The admin's form with the text rules (``onboarding.text_rules``) on every text field."""


class TextRulesAdmin(admin.ModelAdmin):
    """An editable admin whose text fields keep the same rules as the app's forms."""

    form = TextRulesAdminForm


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
