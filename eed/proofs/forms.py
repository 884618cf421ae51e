"""Forms of the ceremony day: the attendance sheet, a correction, the signed scan."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from core.text_rules import TextRulesMixin
from eed.enums import OathForm, Outcome
from eed.proofs.attendance import AttendanceRow
from eed.proofs.certificates import scan_check
from onboarding.models import User
from onboarding.newcomers.forms import ManagerChoiceField


def witness_choices() -> list[tuple]:
    """Every active user, once per page (a select per row would otherwise query per row)."""
    users = User.objects.filter(is_active=True).order_by("last_name", "first_name", "email")
    return [("", _("Not a user of this system (give the name)")), *((u.pk, str(u)) for u in users)]


class AttendanceRowForm(TextRulesMixin, forms.Form):
    name_fields = ("witness_present_name",)
    appointment = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Attendance"), choices=Outcome.choices, widget=forms.RadioSelect)
    form_used = forms.ChoiceField(
        label=_("Form used"), choices=OathForm.choices, widget=forms.RadioSelect, required=False
    )
    adapted_manner_used = forms.CharField(
        label=_("Adapted manner, if any"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )
    witness_present = forms.TypedChoiceField(label=_("Witness present"), coerce=int, required=False, empty_value=None)
    witness_present_name = forms.CharField(
        label=_("Name of the witness, if not in the list"), required=False, max_length=300
    )

    def __init__(self, *args, witnesses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["witness_present"].choices = witnesses

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Outcome.TAKEN:
            if not cleaned.get("form_used"):
                self.add_error("form_used", _("Choose oath or affirmation."))
            if cleaned.get("witness_present") is None and not cleaned.get("witness_present_name", "").strip():
                self.add_error("witness_present", _("Choose the witness present, or give their name."))
        return cleaned


AttendanceFormSet = formset_factory(AttendanceRowForm, extra=0)


def attendance_formset(appointments, data=None, *, with_requests: bool = False) -> forms.BaseFormSet:
    """One row per appointment, prefilled with the newcomer's choice and the planned witness,
    and ``with_requests`` (for HR only) with the adapted manner the newcomer asked for."""
    initial = [
        {
            "appointment": appointment.pk,
            "form_used": appointment.form or None,
            "adapted_manner_used": appointment.adapted_manner if with_requests else "",
            "witness_present": appointment.witness_id,
        }
        for appointment in appointments
    ]
    return AttendanceFormSet(data, initial=initial, form_kwargs={"witnesses": witness_choices()})


def attendance_rows(formset) -> list[AttendanceRow]:
    """The valid formset as the service's rows, the witnesses fetched in one query."""
    chosen = {form.cleaned_data["witness_present"] for form in formset.forms} - {None}
    users = User.objects.in_bulk(chosen)
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        rows.append(
            AttendanceRow(
                appointment_id=data["appointment"],
                outcome=data["outcome"],
                form_used=data["form_used"],
                adapted_manner_used=data["adapted_manner_used"],
                witness_present=users.get(data["witness_present"]),
                witness_present_name=data["witness_present_name"],
            )
        )
    return rows


class CorrectionForm(TextRulesMixin, forms.Form):
    name_fields = ("witness_present_name",)
    outcome = forms.ChoiceField(label=_("Attendance"), choices=Outcome.choices, widget=forms.RadioSelect)
    form_used = forms.ChoiceField(
        label=_("Form used"), choices=OathForm.choices, widget=forms.RadioSelect, required=False
    )
    adapted_manner_used = forms.CharField(
        label=_("Adapted manner, if any"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000
    )
    witness_present = ManagerChoiceField(queryset=User.objects.none(), label=_("Witness present"), required=False)
    witness_present_name = forms.CharField(
        label=_("Name of the witness, if not in the list"), required=False, max_length=300
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        help_text=_("Kept in the history next to the original values."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["witness_present"].queryset = User.objects.filter(is_active=True).order_by(
            "last_name", "first_name"
        )


class ScanUploadForm(forms.Form):
    scan = forms.FileField(
        label=_("Signed proof (scan)"), help_text=_("A PDF, PNG or JPEG file."), allow_empty_file=False
    )

    def clean_scan(self):
        upload = self.cleaned_data["scan"]
        scan_check(upload)
        return upload
