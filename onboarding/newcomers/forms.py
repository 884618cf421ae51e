"""The newcomer form HR fills in by hand."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.text_rules import TextRulesMixin
from onboarding.accounts.pickers import PersonField
from onboarding.enums import Role
from onboarding.models import Newcomer, User
from onboarding.models.newcomers import NEWCOMER_FIELDS, personnel_number_taken
from onboarding.newcomers.appointing import appointing_body_for


def managers_queryset():
    return User.objects.filter(groups__name=Role.MANAGER.value, is_active=True).order_by(
        "last_name", "first_name", "email"
    )


def managers_and(*users) -> list:
    """The active managers, and these users (a newcomer's current manager keeps their place)."""
    people = list(managers_queryset())
    known = {person.pk for person in people}
    return people + [user for user in users if user is not None and user.pk not in known]


class ManagerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name else obj.email


class NewcomerForm(TextRulesMixin, forms.ModelForm):
    name_fields = ("given_names", "surname_prefix", "surname")
    manager = PersonField(required=False, label=_("Manager"))

    class Meta:
        model = Newcomer
        fields = [name for name in NEWCOMER_FIELDS if name != "appointing_body"]  # it follows from the kind
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "surname_prefix": _('For example "van der" in "Jan van der Berg".'),
            "kind": _(
                "Griffie staff take the oath before the griffier, everyone else before the provincial secretary."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].people = managers_and(self.instance.manager if self.instance.manager_id else None)
        for name in ("given_names", "surname", "email"):
            self.fields[name].widget.attrs.setdefault("autocomplete", "off")
        self.fields["language"].required = False  # a form sent without it keeps the current language (or Dutch)

    def clean(self):
        cleaned = super().clean()
        cleaned["appointing_body"] = self.instance.appointing_body = appointing_body_for(cleaned.get("kind"))
        return cleaned

    def clean_language(self):
        return self.cleaned_data["language"] or self.instance.language or "nl"

    def clean_personnel_number(self):
        number = self.cleaned_data["personnel_number"].strip()
        holder = Newcomer.objects.filter(personnel_number=number).exclude(pk=self.instance.pk).first()
        if holder is not None:
            link = gettext("Open the page of %(name)s") % {"name": holder.full_name}
            url = reverse("newcomer_detail", args=[holder.pk])
            self["personnel_number"].help_text = format_html('<a href="{}">{}</a>', url, link)
            raise ValidationError(personnel_number_taken(number, holder), code="unique")
        return number

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
