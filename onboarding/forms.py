from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from onboarding.enums import Role
from onboarding.models import Newcomer, User
from onboarding.text_rules import NoControlCharacters, normalised_name


class TextRulesMixin:
    """Every text field keeps the rules of ``onboarding.text_rules``; the ``name_fields`` are stored normalised.

    A field is text of several lines when its widget is a textarea, otherwise one line; passwords are
    left alone (they are never shown or sent). Mix in before the form class:
    ``class MyForm(TextRulesMixin, forms.Form)``.
    """

    name_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(NoControlCharacters(field.label or name, multiline=multiline))

    def clean(self):
        cleaned = super().clean()
        for name in self.name_fields:
            if isinstance(cleaned.get(name), str):
                cleaned[name] = normalised_name(cleaned[name])
        return cleaned


def managers_queryset():
    return User.objects.filter(groups__name=Role.MANAGER.value, is_active=True).order_by(
        "last_name", "first_name", "email"
    )


class ManagerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name else obj.email


class NewcomerForm(TextRulesMixin, forms.ModelForm):
    name_fields = ("given_names", "surname_prefix", "surname")
    manager = ManagerChoiceField(queryset=User.objects.none(), required=False, label=_("Manager"))

    class Meta:
        model = Newcomer
        fields = [
            "given_names",
            "surname_prefix",
            "surname",
            "email",
            "personnel_number",
            "start_date",
            "kind",
            "manager",
            "appointing_body",
            "notes",
            "end_date",
            "language",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "surname_prefix": _('For example "van der" in "Jan van der Berg".'),
            "appointing_body": _(
                "Griffie staff take the oath before the griffier, everyone else before the provincial secretary."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = managers_queryset()
        for name in ("given_names", "surname", "email"):
            self.fields[name].widget.attrs.setdefault("autocomplete", "off")
        self.fields["language"].required = False  # a form sent without it keeps the current language (or Dutch)

    def clean_language(self):
        return self.cleaned_data["language"] or self.instance.language or "nl"

    def clean_personnel_number(self):
        return self.cleaned_data["personnel_number"].strip()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


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


class LanguageForm(TextRulesMixin, forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)


class InviteForm(TextRulesMixin, forms.Form):
    name_fields = ("first_name", "last_name")

    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=True
    )
    language = forms.ChoiceField(label=_("Language of the mails"), choices=settings.LANGUAGES, initial="nl")
    # Set by the confirmation step when the address already has an account (onboarding.services.ExistingAccount):
    # what HR confirmed, so a changed address or role list asks again.
    confirmed = forms.CharField(required=False, widget=forms.HiddenInput)

    def confirmation(self) -> str:
        """The address and roles of this request, as the confirmation step records them."""
        data = self.cleaned_data
        return f"{data['email']} {','.join(sorted(data['roles']))}"

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
