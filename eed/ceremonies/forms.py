import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.dates import table_date
from core.forms import IdListField
from core.text_rules import TextRulesMixin
from eed.ceremonies.selectors import overlapping_ceremonies
from eed.enums import OathForm
from eed.models import Appointment, Ceremony, ProgrammeItem
from onboarding.accounts.pickers import PersonField, find_person
from onboarding.enums import Role
from onboarding.models import Newcomer, User
from onboarding.newcomers.forms import ManagerChoiceField, managers_queryset


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def officiants_queryset():
    return User.objects.filter(groups__name=Role.OFFICIANT.value, officiant__isnull=False, is_active=True).order_by(
        "last_name", "first_name"
    )


def proposal_initial(query) -> dict | None:
    """The create form filled in from a planner proposal's link: date and time, size, officiant, people."""
    if not query.get("starts_at"):
        return None
    initial = {name: query[name] for name in ("starts_at", "ends_at", "capacity", "officiant") if query.get(name)}
    return {**initial, "newcomers": [pk for pk in query.getlist("newcomers") if pk.isdigit()]}


class CeremonyForm(TextRulesMixin, forms.ModelForm):
    video_url = forms.URLField(label=_("Video link"), assume_scheme="https", required=False, max_length=200)
    officiant = ManagerChoiceField(queryset=User.objects.none(), label=_("Officiant"))
    programme = forms.ModelMultipleChoiceField(
        queryset=ProgrammeItem.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Programme"),
    )
    # The people a planner proposal would place: added as soon as the ceremony is planned (new ones only).
    newcomers = forms.ModelMultipleChoiceField(
        queryset=Newcomer.objects.none(), widget=forms.MultipleHiddenInput, required=False
    )

    class Meta:
        model = Ceremony
        fields = ["starts_at", "ends_at", "place", "video_url", "officiant", "capacity", "programme", "notes"]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"place": _("A room, or leave empty and give a video link.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.overlaps, self.overlap_key, self.overlap_confirmed = [], "", False
        self.fields["officiant"].queryset = officiants_queryset()
        if self.instance.pk:
            del self.fields["newcomers"]
        else:
            self.fields["newcomers"].queryset = Newcomer.objects.not_anonymised()
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start."))
        if not cleaned.get("place") and not cleaned.get("video_url"):
            self.add_error("place", _("Give a place or a video link."))
        if starts and not self.instance.pk and starts < timezone.now() - datetime.timedelta(minutes=5):
            self.add_error("starts_at", _("A new ceremony cannot start in the past."))
        self._check_overlaps(cleaned)
        return cleaned

    def _check_overlaps(self, cleaned) -> None:
        """Another ceremony at the same time with this officiant or in this place: saved only once HR
        ticked the box that lists exactly these ceremonies (another overlap is asked again). A change
        that leaves the time, place and officiant as they were asks nothing."""
        starts, ends, officiant = cleaned.get("starts_at"), cleaned.get("ends_at"), cleaned.get("officiant")
        if not (starts and ends and officiant) or ends <= starts:
            return
        if self.instance.pk and not set(self.changed_data) & {"starts_at", "ends_at", "place", "officiant"}:
            return
        found = overlapping_ceremonies(
            starts_at=starts,
            ends_at=ends,
            officiant=officiant,
            place=cleaned.get("place", ""),
            exclude_pk=self.instance.pk,
        )
        self.overlaps = list(found)
        self.overlap_key = ",".join(str(ceremony.pk) for ceremony in self.overlaps)
        self.overlap_confirmed = self.data.get("overlap_confirmed") == self.overlap_key
        if self.overlaps and not self.overlap_confirmed:
            self.add_error(
                None, _("This ceremony overlaps with another one; see the list below, and confirm to save anyway.")
            )


class CancelForm(TextRulesMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RemoveForm(TextRulesMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Optional. Shown in the newcomer's history."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=Appointment._meta.get_field("end_reason").max_length,
    )


MAX_CONFIRMED = 20_000  # "newcomer:appointment" pairs of a whole batch of moves


def confirmed_moves(text: str) -> dict[int, int]:
    """The moves HR confirmed, "newcomer:appointment,..." read as {newcomer pk: appointment pk}; junk is skipped."""
    moves = {}
    for pair in text.split(","):
        newcomer_pk, _sep, appointment_pk = pair.strip().partition(":")
        if newcomer_pk.isdigit() and appointment_pk.isdigit():
            moves[int(newcomer_pk)] = int(appointment_pk)
    return moves


class AssignForm(TextRulesMixin, forms.Form):
    """Add newcomers to a ceremony: the ticked ones (one, or several at once), placed together or not at all.

    Which newcomers fit is the service's question (``eed.ceremonies.placement``): a ticked one who does
    not is named in the refusal, with the reason. The page lists the candidates (``add_candidates``).
    """

    newcomer = forms.ModelMultipleChoiceField(
        queryset=Newcomer.objects.none(),
        label=_("Newcomers"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick the newcomers to add.")},
    )
    witness = PersonField(required=False, label=_("Witness"), help_text=_("Leave empty to ask the newcomer's manager."))
    late_reason = forms.CharField(
        label=_("Reason, if the ceremony is after the deadline"),
        help_text=_("One reason for every ticked newcomer whose deadline is before this ceremony."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    # Set by the confirmation step for those planned elsewhere: see confirmation_initial.
    confirmed = forms.CharField(required=False, widget=forms.HiddenInput, max_length=MAX_CONFIRMED)
    # The search the list was showing, to show it again after a refusal.
    q = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, ceremony: Ceremony, **kwargs):
        super().__init__(*args, **kwargs)
        self.refusal = None  # the service's BatchRefused, shown with the form
        self.fields["newcomer"].queryset = Newcomer.objects.not_anonymised().order_by("deadline", "surname", "pk")
        self.fields["witness"].people = managers_queryset()

    def clean(self):
        """``newcomers``: the ticked ones, as a list; ``moving_from``: for each, the appointment HR
        confirmed moving them out of (absent: none confirmed)."""
        cleaned = super().clean()
        cleaned["newcomers"] = list(cleaned.get("newcomer") or [])
        confirmed = confirmed_moves(cleaned.get("confirmed", ""))
        cleaned["moving_from"] = {n.pk: confirmed[n.pk] for n in cleaned["newcomers"] if n.pk in confirmed}
        return cleaned

    def refused(self, refusal) -> None:
        """Show the service's refusal (``bulk.BatchRefused``) with the form: those who are only late
        without a reason on the reason field, with their deadline; the others listed with the reason."""
        self.refusal = refusal
        late = refusal.late
        if len(late) == 1:
            message = _(
                "This ceremony is after the deadline of %(name)s (%(deadline)s). "
                "Record the reason to plan it anyway, or choose an earlier ceremony."
            )
            self.add_error(
                "late_reason", message % {"name": late[0].full_name, "deadline": table_date(late[0].deadline)}
            )
        elif late:
            names = ", ".join(f"{newcomer.full_name} ({table_date(newcomer.deadline)})" for newcomer in late)
            message = _(
                "This ceremony is after the deadline of %(names)s. "
                "Record one reason for all of them to plan them anyway, or untick them."
            )
            self.add_error("late_reason", message % {"names": names})

    @staticmethod
    def confirmation_initial(data: dict, moves) -> dict:
        """The form of the confirmation step: the same choice, confirmed for these newcomers and the
        appointments they would leave (a stale confirmation no longer matches and is asked again)."""
        return {
            "newcomer": [newcomer.pk for newcomer in data["newcomers"]],
            "witness": data["witness"],
            "late_reason": data["late_reason"],
            "q": data.get("q", ""),
            "confirmed": ",".join(f"{newcomer.pk}:{previous.pk}" for newcomer, previous in moves),
        }


class WitnessReplaceForm(forms.Form):
    """Another witness: a manager, not the one asked now; the substitute they proposed comes preselected."""

    witness = PersonField(label=_("New witness"))

    def __init__(self, *args, appointment: Appointment, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["witness"]
        field.people = managers_queryset().exclude(pk=appointment.witness_id)
        self.suggested = None
        if appointment.substitute_suggestion:
            self.suggested, _maybe = find_person(appointment.substitute_suggestion, field.people_list(), by_id=False)
            if self.suggested is not None and not self.is_bound:
                self.initial["witness"] = self.suggested


class WitnessAnswerForm(TextRulesMixin, forms.Form):
    name_fields = ("substitute",)
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("confirm", _("Yes, I will be the witness")), ("decline", _("No, I cannot"))],
        widget=forms.RadioSelect,
    )
    substitute = forms.CharField(
        label=_("Colleague who could take your place (optional)"), max_length=300, required=False
    )


class WitnessAnswerManyForm(TextRulesMixin, forms.Form):
    """The requests ticked on "My witness requests", confirmed or declined together (the button pressed)."""

    name_fields = ("substitute",)
    appointment = IdListField(error_messages={"required": _("Tick the requests you want to answer.")})
    answer = forms.ChoiceField(
        choices=[
            ("confirm", pgettext_lazy("witness answer", "Confirm")),
            ("decline", pgettext_lazy("witness answer", "Decline")),
        ]
    )
    substitute = forms.CharField(
        label=_("Colleague who could take your place (optional, for every request you decline)"),
        max_length=300,
        required=False,
    )


class NewcomerChoiceForm(TextRulesMixin, forms.Form):
    form = forms.ChoiceField(label=_("I will take"), choices=OathForm.choices, widget=forms.RadioSelect)
    adapted_manner = forms.CharField(
        label=_("Do you need an adapted manner (for example because of a physical or speech impairment)?"),
        help_text=_("Optional. Tell us what you need; it stays between you and HR."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )
    attendance = forms.ChoiceField(
        label=_("Will you be there?"),
        choices=[("coming", _("I will be there")), ("not_coming", _("I cannot come"))],
        widget=forms.RadioSelect,
        required=False,
    )
    absence_reason = forms.CharField(
        label=_("Why can you not come? (optional)"),
        help_text=_("HR reads this to find a new date with you."),
        required=False,
        max_length=300,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].required = False  # who cannot come need not choose now

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("attendance") != "not_coming" and not cleaned.get("form"):
            self.add_error("form", _("Choose the oath or the affirmation."))
        return cleaned
