"""Forms of accounts: inviting a user, choosing a language."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.text_rules import TextRulesMixin
from onboarding.enums import Role


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
    # Set by the confirmation step when the address already has an account (accounts.services.ExistingAccount):
    # what HR confirmed, so a changed address or role list asks again.
    confirmed = forms.CharField(required=False, widget=forms.HiddenInput)

    def confirmation(self) -> str:
        """The address and roles of this request, as the confirmation step records them."""
        data = self.cleaned_data
        return f"{data['email']} {','.join(sorted(data['roles']))}"

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
