import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.clock import local_today
from onboarding.enums import DECLARATION_STATUSES, Status
from onboarding.newcomers.search import search_q
from onboarding.newcomers.selectors import started_unsigned_q, status_q


class ExternalDeclarationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name, personnel number or verification code"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("Declaration"),
        choices=[(Status.DECLARATION_REQUIRED.value, Status.DECLARATION_REQUIRED.label)]
        + [(status.value, status.label) for status in DECLARATION_STATUSES],
        empty_label=_("All"),
        method="filter_status",
    )
    started_unsigned = django_filters.BooleanFilter(
        label=_("Started work without a signed declaration"),
        method="filter_started_unsigned",
        widget=forms.CheckboxInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.required = False

    def filter_search(self, queryset, name, value):
        """Names and personnel number as on the newcomer list; a verification code exactly."""
        return queryset.filter(search_q(value) | Q(verification_code=value.strip()))

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_q(value))

    def filter_started_unsigned(self, queryset, name, value):
        return queryset.filter(started_unsigned_q(local_today())) if value else queryset
