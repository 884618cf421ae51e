"""Forms of the ceremony day: the attendance sheet, a correction, the signed scan."""

from django import forms
from django.conf import settings
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from core.text_rules import TextRulesMixin
from eed.enums import OathForm, Outcome
from eed.proofs.attendance import AttendanceRow
from eed.proofs.certificates import scan_check
from onboarding.accounts.pickers import PersonField, datalist_options
from onboarding.newcomers.forms import managers_and, managers_queryset

# The sheet sends the list of possible witnesses once, for the picker of every row.
WITNESS_LIST_ID = "sheet-witnesses"


def sheet_witnesses(appointments) -> list:
    """Who may be recorded as the witness present: the sheet's planned witnesses first (in sheet order),
    then the active managers; one query however many rows."""
    planned = []
    for appointment in appointments:
        witness = appointment.witness
        if witness is not None and witness.is_active and witness not in planned:
            planned.append(witness)
    return planned + [manager for manager in managers_queryset() if manager not in planned]


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
    witness_present = PersonField(label=_("Witness present"), required=False, list_id=WITNESS_LIST_ID)
    witness_present_name = forms.CharField(
        label=_("Name of the witness, if not in the list"), required=False, max_length=300
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["witness_present"].people = people

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Outcome.TAKEN:
            if not cleaned.get("form_used"):
                self.add_error("form_used", _("Choose oath or affirmation."))
            if cleaned.get("witness_present") is None and not cleaned.get("witness_present_name", "").strip():
                self.add_error("witness_present", _("Choose the witness present, or give their name."))
        return cleaned


AttendanceFormSet = formset_factory(AttendanceRowForm, extra=0)


def attendance_formset(appointments, data=None, *, with_requests: bool = False, everyone_taken: bool = False):
    """One row per appointment, prefilled with the newcomer's choice and the planned witness, and
    ``with_requests`` (for HR only) with the adapted manner the newcomer asked for. ``everyone_taken``
    also marks every row as taken: HR then adjusts the exceptions. ``witness_options``: the one datalist."""
    people = sheet_witnesses(appointments)
    allowed = {person.pk for person in people}
    initial = [
        {
            "appointment": appointment.pk,
            "outcome": Outcome.TAKEN if everyone_taken else None,
            "form_used": appointment.form or None,
            "adapted_manner_used": appointment.adapted_manner if with_requests else "",
            "witness_present": appointment.witness_id if appointment.witness_id in allowed else None,
        }
        for appointment in appointments
    ]
    formset = AttendanceFormSet(data, initial=initial, form_kwargs={"people": people})
    formset.witness_list_id, formset.witness_options = WITNESS_LIST_ID, datalist_options(people)
    return formset


def attendance_rows(formset) -> list[AttendanceRow]:
    """The valid formset as the service's rows."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        rows.append(
            AttendanceRow(
                appointment_id=data["appointment"],
                outcome=data["outcome"],
                form_used=data["form_used"],
                adapted_manner_used=data["adapted_manner_used"],
                witness_present=data["witness_present"],
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
    witness_present = PersonField(label=_("Witness present"), required=False)
    witness_present_name = forms.CharField(
        label=_("Name of the witness, if not in the list"), required=False, max_length=300
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        help_text=_("Kept in the history next to the original values."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, appointment=None, **kwargs):
        """The witness present: a manager, or one of the appointment's own witnesses (planned, recorded)."""
        super().__init__(*args, **kwargs)
        own = (appointment.witness, appointment.witness_present) if appointment is not None else ()
        self.fields["witness_present"].people = managers_and(*own)


class ScanUploadForm(forms.Form):
    scan = forms.FileField(
        label=_("Signed proof (scan)"), help_text=_("A PDF, PNG or JPEG file."), allow_empty_file=False
    )

    def clean_scan(self):
        upload = self.cleaned_data["scan"]
        scan_check(upload)
        return upload


class VerifyFileForm(forms.Form):
    """The public verification page's upload: one PDF, at most VERIFY_FILE_MAX_BYTES; read, never kept."""

    document = forms.FileField(label=_("PDF file"))

    def clean_document(self):
        upload = self.cleaned_data["document"]
        limit = settings.VERIFY_FILE_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(_("The file is larger than %(size)s MB.") % {"size": limit // (1024 * 1024)})
        data = upload.read()
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError(_("Choose a PDF file: a proof or a declaration copy as you received it."))
        return data
