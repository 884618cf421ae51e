import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text_rules import TextRulesMixin
from eed.ceremonies.placement import is_late, placeable_newcomers
from eed.ceremonies.selectors import overlapping_ceremonies
from eed.enums import OathForm
from eed.models import Appointment, Ceremony, ProgrammeItem
from onboarding.enums import Role
from onboarding.models import Newcomer, User
from onboarding.newcomers.forms import ManagerChoiceField


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def officiants_queryset():
    return User.objects.filter(groups__name=Role.OFFICIANT.value, officiant__isnull=False, is_active=True).order_by(
        "last_name", "first_name"
    )


class CeremonyForm(TextRulesMixin, forms.ModelForm):
    video_url = forms.URLField(label=_("Video link"), assume_scheme="https", required=False, max_length=200)
    officiant = ManagerChoiceField(queryset=User.objects.none(), label=_("Officiant"))
    programme = forms.ModelMultipleChoiceField(
        queryset=ProgrammeItem.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Programme"),
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


class NewcomerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.sort_name} ({obj.personnel_number}), {_('deadline')} {obj.deadline:%d-%m-%Y}"


class AssignForm(TextRulesMixin, forms.Form):
    newcomer = NewcomerChoiceField(queryset=Newcomer.objects.none(), label=_("Newcomer"))
    witness = ManagerChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Witness"),
        help_text=_("Leave empty to ask the newcomer's manager."),
    )
    late_reason = forms.CharField(
        label=_("Reason, if the ceremony is after the deadline"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    # Set by the confirmation step when the newcomer is planned elsewhere: see move_confirmation.
    confirmed = forms.CharField(required=False, widget=forms.HiddenInput, max_length=50)

    def __init__(self, *args, ceremony: Ceremony, **kwargs):
        super().__init__(*args, **kwargs)
        self.ceremony = ceremony
        self.fields["newcomer"].queryset = placeable_newcomers(ceremony)
        self.fields["witness"].queryset = User.objects.filter(is_active=True).order_by("last_name", "first_name")

    def clean(self):
        """A ceremony after the chosen newcomer's deadline needs the reason: the error goes on that field.

        ``moving_from``: the appointment HR confirmed moving this very newcomer out of, else None.
        """
        cleaned = super().clean()
        newcomer = cleaned.get("newcomer")
        if newcomer is not None and is_late(newcomer, self.ceremony) and not cleaned.get("late_reason", "").strip():
            message = _(
                "This ceremony is after the deadline of %(name)s (%(deadline)s). "
                "Record the reason to plan it anyway, or choose an earlier ceremony."
            )
            self.add_error(
                "late_reason", message % {"name": newcomer.full_name, "deadline": f"{newcomer.deadline:%d-%m-%Y}"}
            )
        newcomer_pk, _sep, appointment_pk = cleaned.get("confirmed", "").partition(":")
        confirmed_here = newcomer is not None and newcomer_pk == str(newcomer.pk) and appointment_pk.isdigit()
        cleaned["moving_from"] = int(appointment_pk) if confirmed_here else None
        return cleaned

    @staticmethod
    def confirmation_initial(data: dict, previous) -> dict:
        """The form of the confirmation step: the same choice, confirmed for this newcomer and the
        appointment they would leave (a stale confirmation no longer matches and is asked again)."""
        fields = ("newcomer", "witness", "late_reason")
        return {**{name: data[name] for name in fields}, "confirmed": f"{data['newcomer'].pk}:{previous.pk}"}


class WitnessReplaceForm(forms.Form):
    witness = ManagerChoiceField(queryset=User.objects.none(), label=_("New witness"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["witness"].queryset = User.objects.filter(is_active=True).order_by("last_name", "first_name")


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
