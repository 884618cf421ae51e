import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onboarding.enums import Role


class AccountState:
    ACTIVE = "active"
    INVITED = "invited"
    INACTIVE = "inactive"
    CHOICES = (
        (ACTIVE, _("Active")),
        (INVITED, _("Invited, never logged in")),
        (INACTIVE, _("Deactivated")),
    )


class AccountFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or e-mail address"), method="filter_search")
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Role.choices, empty_label=_("All"), field_name="groups__name"
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=AccountState.CHOICES, empty_label=_("All"), method="filter_state"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.required = False

    def filter_search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(email__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
            )
        return queryset

    def filter_state(self, queryset, name, value):
        return queryset.filter(
            {
                AccountState.ACTIVE: Q(is_active=True, last_login__isnull=False),
                AccountState.INVITED: Q(is_active=True, last_login__isnull=True),
                AccountState.INACTIVE: Q(is_active=False),
            }[value]
        )
