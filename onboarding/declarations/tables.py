import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from onboarding.declarations.bulk import NEEDS_LINK
from onboarding.models import Newcomer
from onboarding.newcomers.tables import DayColumn, StatusColumn


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%d-%m-%Y %H:%M") if value else ""


class ExternalDeclarationTable(tables.Table):
    """Externals and their declaration: state and the times of link and signature (export too); a
    checkbox for each who may be sent a link now (not sent, or expired)."""

    select = tables.Column(
        verbose_name=_("Select"), accessor="pk", orderable=False, exclude_from_export=True, empty_values=()
    )
    name = tables.Column(
        verbose_name=_("Name"),
        accessor="sort_name",
        linkify=("newcomer_detail", {"pk": tables.A("pk")}),
        order_by=("surname", "given_names", "id"),
    )
    personnel_number = tables.Column(verbose_name=_("Personnel no."))
    start_date = DayColumn(verbose_name=_("Start date"), order_by=("start_date", "id"))
    status = StatusColumn(verbose_name=_("Declaration"), order_by=("status", "start_date", "id"))
    sent_at = tables.Column(verbose_name=_("Sent"), order_by=("sent_at", "id"), default="")
    opened_at = tables.Column(verbose_name=_("Opened"), order_by=("opened_at", "id"), default="")
    signed_at = tables.Column(verbose_name=_("Signed"), order_by=("signed_at", "id"), default="")
    expires_at = tables.Column(verbose_name=_("Link valid until"), order_by=("expires_at", "id"), default="")
    email = tables.Column(verbose_name=_("E-mail"), visible=False)
    verification_code = tables.Column(verbose_name=_("Verification code"), visible=False, default="")

    class Meta:
        model = Newcomer
        fields = ()
        sequence = ("select", "name", "personnel_number", "start_date", "status", "sent_at", "opened_at", "signed_at")
        order_by = ("start_date",)
        attrs = {"class": "data-table"}
        empty_text = _("No externals match these filters.")

    def render_select(self, record):
        if record.status not in NEEDS_LINK:
            return ""
        return format_html(
            '<input type="checkbox" name="newcomer" value="{}" id="send-{}" aria-label="{}">',
            record.pk,
            record.pk,
            _("Select %(name)s") % {"name": record.full_name},
        )

    # Same text in the page and in the export.
    def render_sent_at(self, value):
        return _moment(value)

    def value_sent_at(self, value):
        return _moment(value)

    def render_opened_at(self, value):
        return _moment(value)

    def value_opened_at(self, value):
        return _moment(value)

    def render_signed_at(self, value):
        return _moment(value)

    def value_signed_at(self, value):
        return _moment(value)

    def render_expires_at(self, value):
        return _moment(value)

    def value_expires_at(self, value):
        return _moment(value)
