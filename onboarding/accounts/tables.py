import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from onboarding.accounts.filters import AccountState
from onboarding.accounts.roles import role_labels
from onboarding.models import User

PAGE_SIZE = 25


def account_state(user: User) -> str:
    if not user.is_active:
        return AccountState.INACTIVE
    return AccountState.INVITED if user.last_login is None else AccountState.ACTIVE


class AccountTable(tables.Table):
    """HR's *Accounts* page: who has an account, with which roles, and what HR can do about it."""

    name = tables.Column(verbose_name=_("Name"), accessor="last_name", order_by=("last_name", "first_name", "email"))
    email = tables.Column(verbose_name=_("E-mail address"), order_by=("email",))
    roles = tables.Column(verbose_name=_("Roles"), accessor="pk", orderable=False)
    state = tables.Column(verbose_name=_("State"), accessor="is_active", order_by=("-is_active", "last_login", "email"))
    last_login = tables.Column(verbose_name=_("Last login"), order_by=("last_login", "email"), default="")
    actions = tables.TemplateColumn(
        verbose_name=_("Actions"),
        template_name="onboarding/partials/account_actions.html",
        accessor="pk",
        orderable=False,
    )

    class Meta:
        model = User
        fields = ()
        sequence = ("name", "email", "roles", "state", "last_login", "actions")
        attrs = {"class": "data-table"}
        empty_text = _("No accounts match these filters.")

    def render_name(self, record):
        return record.get_full_name() or "—"

    def render_roles(self, record):
        # From the prefetched groups (selectors.accounts_listed): no query per row.
        return ", ".join(role_labels(group.name for group in record.groups.all())) or "—"

    def render_state(self, record):
        state = account_state(record)
        label = dict(AccountState.CHOICES)[state]
        return format_html('<span class="status status--account-{}">{}</span>', state, label)

    def render_last_login(self, value):
        return timezone.localtime(value).strftime("%d-%m-%Y %H:%M")
