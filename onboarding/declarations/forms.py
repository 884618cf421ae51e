from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import IdListField
from core.text_rules import TextRulesMixin, signing_name
from onboarding.declarations.rules import names_match
from onboarding.declarations.services import name_mismatch_message


class DeclarationSignForm(TextRulesMixin, forms.Form):
    """What the external fills in; the name must be a name (``signing_name``) and match the registered one."""

    confirmed = forms.BooleanField(
        label=_("I have read the declaration above and I will abide by it."),
        error_messages={"required": _("Confirm that you have read the declaration.")},
    )
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=400,
        help_text=_("As HR registered it: given names, any prefix and surname."),
        error_messages={"required": _("Type your full name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    text_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
    language = forms.ChoiceField(widget=forms.HiddenInput, choices=settings.LANGUAGES)

    def __init__(self, *args, registered_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.registered_name = registered_name

    def clean_full_name(self):
        name = signing_name(self.cleaned_data["full_name"], registered=self.registered_name)
        if not names_match(name, self.registered_name):
            raise forms.ValidationError(name_mismatch_message(), code="name_mismatch")
        return name


class DeclarationSendForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the mail and page"), choices=settings.LANGUAGES)


class DeclarationWithdrawForm(TextRulesMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the withdrawal"),
        help_text=_("Kept with the signature and shown in its history."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class DeclarationSendManyForm(forms.Form):
    """The overview's batch send: the ticked externals, or everyone the filter finds (``scope``); the
    first POST asks for confirmation, the second (``confirmed``) sends to the ids it lists."""

    newcomer = IdListField(required=False)
    scope = forms.ChoiceField(choices=[("selected", "selected"), ("filter", "filter")], required=False)
    confirmed = forms.BooleanField(required=False)
