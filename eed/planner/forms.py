from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import ceremony_moment
from eed.models import Ceremony

CEREMONY_FIELD = "ceremony-{}"


def ceremony_label(ceremony: Ceremony) -> str:
    """The choice shown to HR, e.g. 'di 10 mrt. 2026 10:00, Provinciehuis (3 vrij)', in the active language."""
    when = ceremony_moment(ceremony.starts_at)
    free = getattr(ceremony, "free", None)
    places = "" if free is None else " " + _("(%(free)s free)") % {"free": free}
    return f"{when}, {ceremony.location}{places}"


class PlannerConfirmForm(forms.Form):
    """The rows HR confirms: every shown row posts ``ceremony-<newcomer id>``; the ticked ones are in ``assign``.

    ``rows`` maps each newcomer id to its ceremony choices. On a post any open
    ceremony is a valid choice; whether the newcomer fits it is for the
    service (appointment_assign) to say.
    """

    assign = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, rows: dict[int, list[tuple[int, str]]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assign"].choices = [(pk, pk) for pk in rows]
        for pk, choices in rows.items():
            self.fields[CEREMONY_FIELD.format(pk)] = forms.TypedChoiceField(
                coerce=int, choices=choices, label=_("Ceremony")
            )

    def pairs(self) -> list[tuple[int, int]]:
        """(newcomer id, ceremony id) for every ticked row."""
        return [(pk, self.cleaned_data[CEREMONY_FIELD.format(pk)]) for pk in self.cleaned_data["assign"]]


def posted_rows(data, open_ceremony_ids) -> dict[int, list[tuple[int, str]]]:
    """The rows a posted planner form held, each allowing any open ceremony."""
    choices = [(pk, str(pk)) for pk in open_ceremony_ids]
    prefix = CEREMONY_FIELD.format("")
    rows = {}
    for name in data:
        number = name.removeprefix(prefix)
        if name.startswith(prefix) and number.isdigit():
            rows[int(number)] = choices
    return rows
