import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from eed.models import Ceremony


class CeremonyTable(tables.Table):
    starts_at = tables.DateTimeColumn(
        verbose_name=_("Date and time"),
        format="D j M Y H:i",
        linkify=("ceremony_detail", {"pk": tables.A("pk")}),
        order_by=("starts_at", "id"),
    )
    location = tables.Column(verbose_name=_("Place or link"), accessor="place", order_by=("place", "id"))
    officiant = tables.Column(verbose_name=_("Officiant"), order_by=("officiant__last_name", "id"))
    taken = tables.Column(verbose_name=_("Newcomers"), order_by=("taken", "id"))
    free = tables.Column(verbose_name=_("Free places"), order_by=("free", "id"))
    state = tables.Column(verbose_name=_("State"), order_by=("state", "starts_at"))

    class Meta:
        model = Ceremony
        fields = ()
        sequence = ("starts_at", "location", "officiant", "taken", "free", "state")
        order_by = ("starts_at",)
        attrs = {"class": "data-table"}
        empty_text = _("No ceremonies.")

    def render_location(self, record):
        return record.location

    def value_location(self, record):
        return record.location

    def render_officiant(self, value):
        return value.get_full_name() or value.email

    def render_state(self, record):
        return format_html('<span class="status status--{}">{}</span>', record.state, record.get_state_display())

    def value_state(self, record):
        return str(record.get_state_display())
