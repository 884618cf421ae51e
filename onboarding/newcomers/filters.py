"""The newcomer list's filters. Without a status asked for, the list shows who is still to be sworn in or to sign."""

from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.clock import local_today
from onboarding.enums import Kind, Status
from onboarding.models import ImportBatch
from onboarding.newcomers.forms import ManagerChoiceField, managers_queryset
from onboarding.newcomers.search import search_q
from onboarding.newcomers.selectors import OPEN, due_soon_q, status_facts_q, status_q

ALL = "all"
STATUS_CHOICES = [(OPEN, _("Outstanding")), (ALL, _("All")), *Status.choices]


class ManagerFilter(django_filters.ModelChoiceFilter):
    field_class = ManagerChoiceField


class ImportChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.filename} ({timezone.localtime(obj.applied_at):%d-%m-%Y %H:%M})"


class ImportFilter(django_filters.ModelChoiceFilter):
    field_class = ImportChoiceField


def applied_imports():
    return ImportBatch.objects.filter(applied_at__isnull=False).order_by("-applied_at", "-id")


def import_list_url(batch: ImportBatch) -> str:
    """The newcomer list showing everyone the import created or changed, whatever their status."""
    return f"{reverse('newcomer_list')}?{urlencode({'last_import': batch.pk, 'status': ALL})}"


def with_default_status(data) -> QueryDict:
    """The list's data with its default: no status asked for is OPEN; an empty one (the old "All") is ALL."""
    data = QueryDict(mutable=True) if data is None else data.copy()
    if "status" not in data:
        data["status"] = OPEN
    elif not data["status"]:
        data["status"] = ALL
    return data


class NewcomerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or personnel number"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=STATUS_CHOICES,
        empty_label=None,
        method="filter_status",
        help_text=_("Outstanding: not yet sworn in, or the declaration not yet signed."),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, empty_label=_("All"))
    manager = ManagerFilter(label=_("Manager"), queryset=lambda request: managers_queryset(), empty_label=_("All"))
    start_month = django_filters.CharFilter(
        label=_("Start month"),
        method="filter_start_month",
        validators=[RegexValidator(r"^\d{4}-\d{2}$", _("Use the form yyyy-mm, e.g. 2026-01."))],
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"}),
    )
    due_soon = django_filters.BooleanFilter(
        label=_("Deadline within 14 days"),
        method="filter_due_soon",
        widget=forms.CheckboxInput,
    )
    last_import = ImportFilter(
        label=pgettext_lazy("newcomer filter", "Import"),
        queryset=lambda request: applied_imports(),
        empty_label=_("All"),
        help_text=_("Who this import created or changed."),
    )

    def __init__(self, data=None, *args, for_hr=True, **kwargs):
        super().__init__(with_default_status(data), *args, **kwargs)
        if not for_hr:
            del self.filters["manager"]
            del self.filters["last_import"]
        for field in self.form.fields.values():
            field.required = False

    def filter_status(self, queryset, name, value):
        return queryset if value == ALL else queryset.filter(status_q(value) & status_facts_q(value, local_today()))

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_q(value))

    def filter_start_month(self, queryset, name, value):
        try:
            year, month = (int(part) for part in value.split("-", 1))
        except ValueError:
            return queryset.none()
        if not (1 <= month <= 12 and 1900 <= year <= 2999):
            return queryset.none()
        return queryset.filter(start_date__year=year, start_date__month=month)

    def filter_due_soon(self, queryset, name, value):
        return queryset.filter(due_soon_q(local_today())) if value else queryset
