"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ID_LIST_MAX = 500


class IdListField(forms.Field):
    """The ids of ticked rows (``name=... value=<pk>`` checkboxes), as a list of distinct ints.

    Whose ids they are is the service's to check; this only refuses what cannot be an id list.
    """

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Tick at least one row."),
        "invalid": _("This selection cannot be read; please reload the page and try again."),
    }

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else ([] if value in (None, "") else [value])
        if len(values) > ID_LIST_MAX or not all(str(item).isdigit() and len(str(item)) < 12 for item in values):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return list(dict.fromkeys(int(item) for item in values))
