"""The dilemma-game session form."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import ceremony_moment
from core.text_rules import TextRulesMixin
from eed.enums import CeremonyState, DilemmaSetting
from eed.models import Ceremony


class CeremonyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{ceremony_moment(obj.starts_at)}, {obj.location}"


# The ceremonies offered: those of the last half year and the coming month (not seven years of them), and
# the session's own when an older one is edited.
DAYS_BACK = 180
DAYS_AHEAD = 30


def ceremonies_to_choose(*, kept=None):
    """Not cancelled, from DAYS_BACK days ago to DAYS_AHEAD days ahead, latest first; plus ``kept``."""
    now = timezone.now()
    window = Q(starts_at__gte=now - datetime.timedelta(days=DAYS_BACK)) & Q(
        starts_at__lte=now + datetime.timedelta(days=DAYS_AHEAD)
    )
    kept_pk = getattr(kept, "pk", kept)
    chosen = window | Q(pk=kept_pk) if kept_pk else window
    return Ceremony.objects.exclude(state=CeremonyState.CANCELLED).filter(chosen).order_by("-starts_at")


class DilemmaSessionForm(TextRulesMixin, forms.Form):
    """A plain form: the service fills in the count of a ceremony session and checks the rest."""

    name_fields = ("facilitator",)

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    setting = forms.ChoiceField(label=_("Setting"), choices=DilemmaSetting.choices, widget=forms.RadioSelect)
    ceremony = CeremonyChoiceField(queryset=Ceremony.objects.none(), label=_("Ceremony"), required=False)
    team_name = forms.CharField(label=_("Team"), max_length=200, required=False, help_text=_("For a team session."))
    facilitator = forms.CharField(label=_("Facilitator"), max_length=200)
    participants = forms.IntegerField(
        label=_("Number of participants"),
        min_value=0,
        required=False,
        help_text=_("For a ceremony session, leave empty to count the newcomers present."),
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ceremony"].queryset = ceremonies_to_choose(kept=self.initial.get("ceremony"))

    def clean(self):
        cleaned = super().clean()
        setting = cleaned.get("setting")
        if setting == DilemmaSetting.CEREMONY and not cleaned.get("ceremony"):
            self.add_error("ceremony", _("Choose the ceremony."))
        if setting == DilemmaSetting.TEAM:
            if not cleaned.get("team_name", "").strip():
                self.add_error("team_name", _("Give the team's name."))
            if cleaned.get("participants") is None:
                self.add_error("participants", _("Give the number of participants."))
        return cleaned
