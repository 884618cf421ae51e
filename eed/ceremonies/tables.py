import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.dates import ceremony_moment
from eed.models import Ceremony, DilemmaSession


class CeremonyTable(tables.Table):
    starts_at = tables.DateTimeColumn(
        verbose_name=_("Date and time"),
        format="WEEKDAY_DATETIME_FORMAT",
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


class DilemmaSessionTable(tables.Table):
    date = tables.DateColumn(
        verbose_name=_("Date"),
        format="SHORT_DATE_FORMAT",
        linkify=("dilemma_session_edit", {"pk": tables.A("pk")}),
        order_by=("date", "id"),
    )
    setting = tables.Column(verbose_name=_("Setting"), order_by=("setting", "date"))
    group = tables.Column(
        verbose_name=_("Ceremony or team"), accessor="team_name", order_by=("team_name", "date"), empty_values=()
    )
    facilitator = tables.Column(verbose_name=_("Facilitator"), order_by=("facilitator", "date"))
    participants = tables.Column(verbose_name=_("Participants"), order_by=("participants", "date"))

    class Meta:
        model = DilemmaSession
        fields = ()
        sequence = ("date", "setting", "group", "facilitator", "participants")
        order_by = ("-date",)
        attrs = {"class": "data-table"}
        empty_text = _("No sessions recorded yet.")

    def render_setting(self, record):
        return record.get_setting_display()

    def render_group(self, record):
        if record.ceremony is not None:
            return f"{ceremony_moment(record.ceremony.starts_at)}, {record.ceremony.location}"
        return record.team_name

    def value_group(self, record):
        return self.render_group(record)
