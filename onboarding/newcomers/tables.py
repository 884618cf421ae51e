import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from onboarding.enums import Status
from onboarding.models import Newcomer

PAGE_SIZE = 25


class DayColumn(tables.Column):
    """A date as tables write it (12-01-2021), the same in the page and in the export."""

    def render(self, value):
        return value.strftime("%d-%m-%Y")


class StatusColumn(tables.Column):
    """A derived status: a coloured label in the page, its words in the export."""

    def render(self, value):
        return format_html('<span class="status status--{}">{}</span>', value, Status(value).label)

    def value(self, value):
        return str(Status(value).label)


class NewcomerTable(tables.Table):
    """Columns, sorting and export are declared here; the HTML rows are written
    out in ``newcomer_table.html`` (a plain loop is several times faster than
    per-cell rendering, which keeps the page's time flat: benchmarks/newcomer_list.py)."""

    name = tables.Column(
        verbose_name=_("Name"),
        accessor="sort_name",
        linkify=("newcomer_detail", {"pk": tables.A("pk")}),
        order_by=("surname", "given_names", "id"),
    )
    personnel_number = tables.Column(verbose_name=_("Personnel no."))
    kind = tables.Column(verbose_name=_("Kind"), order_by=("kind", "surname", "id"))
    start_date = DayColumn(verbose_name=_("Start date"), order_by=("start_date", "id"))
    deadline = tables.Column(verbose_name=_("Deadline"), order_by=("deadline", "id"))
    status = StatusColumn(verbose_name=_("Status"), order_by=("status", "deadline", "id"))
    manager = tables.Column(verbose_name=_("Manager"), order_by=("manager__last_name", "manager__first_name", "id"))
    email = tables.Column(verbose_name=_("E-mail"), visible=False)

    class Meta:
        model = Newcomer
        fields = ()
        sequence = ("name", "personnel_number", "kind", "start_date", "deadline", "status", "manager")
        order_by = ("deadline",)
        attrs = {"class": "data-table"}
        template_name = "onboarding/partials/newcomer_table.html"
        empty_text = _("No newcomers match these filters.")

    def render_deadline(self, value):
        return value.strftime("%d-%m-%Y")

    def render_manager(self, value):
        return value.get_full_name() or value.email

    def value_manager(self, value):
        return value.email if value else ""
