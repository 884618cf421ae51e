"""The upload form of a newcomer import."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("An export of the HR system: comma or semicolon separated CSV, or an Excel workbook."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        if upload.size > settings.IMPORT_MAX_BYTES:
            limit = settings.IMPORT_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(_("The file is larger than %(limit)s MB.") % {"limit": limit})
        return upload


class ImportValidRowsForm(forms.Form):
    """HR's confirmation to import only the valid rows: the numbers of rows imported and left out, as shown."""

    valid = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    left_out = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
