import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.clock import local_today
from onboarding.enums import Kind, Status
from onboarding.newcomers.forms import ManagerChoiceField, managers_queryset
from onboarding.newcomers.selectors import due_soon_q, status_q


class ManagerFilter(django_filters.ModelChoiceFilter):
    field_class = ManagerChoiceField


class NewcomerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or personnel number"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All"), method="filter_status"
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

    def __init__(self, *args, show_manager=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_manager:
            del self.filters["manager"]
        for field in self.form.fields.values():
            field.required = False

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_q(value))

    def filter_search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(surname__icontains=word)
                | Q(given_names__icontains=word)
                | Q(surname_prefix__iexact=word)
                | Q(personnel_number__iexact=word)
            )
        return queryset

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
