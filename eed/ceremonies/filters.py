"""The ceremony list's filter: upcoming ceremonies (from today on, soonest first) unless HR asks for others."""

import django_filters
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from core.clock import local_midnight, local_today

UPCOMING, PAST, ALL = "upcoming", "past", "all"
WHEN_CHOICES = [(UPCOMING, _("Upcoming")), (PAST, _("Past")), (ALL, _("All"))]
# The order each choice opens in (a sort the user clicks overrides it): the soonest, or the latest, first.
DEFAULT_ORDER = {UPCOMING: ("starts_at",), PAST: ("-starts_at",), ALL: ("-starts_at",)}


class CeremonyFilter(django_filters.FilterSet):
    when = django_filters.ChoiceFilter(label=_("Show"), choices=WHEN_CHOICES, empty_label=None, method="filter_when")

    def __init__(self, data=None, *args, **kwargs):
        data = QueryDict(mutable=True) if data is None else data.copy()
        if data.get("when") not in DEFAULT_ORDER:
            data["when"] = UPCOMING
        super().__init__(data, *args, **kwargs)

    @property
    def when_value(self) -> str:
        return self.data["when"]

    @property
    def default_order(self) -> tuple[str, ...]:
        return DEFAULT_ORDER[self.when_value]

    def filter_when(self, queryset, name, value):
        """Upcoming: starting today or later (a ceremony of this morning is still on the day's work)."""
        today = local_midnight(local_today())
        if value == UPCOMING:
            return queryset.filter(starts_at__gte=today)
        if value == PAST:
            return queryset.filter(starts_at__lt=today)
        return queryset
