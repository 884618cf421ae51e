"""People pickers: a text input with a list of the people who may play a part, searchable without JavaScript.

A province has hundreds of managers, too many for a dropdown. The picker is an ``<input list>`` with a
``<datalist>`` of exactly the people allowed here: the browser offers the matching names as one types,
with no script. Without that help (or when someone types instead of choosing) the server reads what was
typed: an e-mail address, the "Name (address)" the list offers, or a full name held by one person. When it
matches no one, or several, the field says so and names the closest matches, so the search also works as
a plain form round trip. A number is taken as a user's id, so a form posted with an id still works.

Only the people given to the field are ever accepted; the field cleans to the User, or None when empty.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.text_rules import normalised_name, one_line

SUGGESTIONS_SHOWN = 5
EMAIL_IN_TEXT = re.compile(r"[^\s<>()\[\],;]+@[^\s<>()\[\],;]+")


def person_label(user) -> str:
    """How a person is shown in a list and typed back: "Full Name (address)", or the address alone."""
    name = user.get_full_name()
    return f"{name} ({user.email})" if name else user.email


def _key(text: str) -> str:
    return normalised_name(one_line(text)).casefold()


def find_person(text: str, people, *, by_id: bool = True) -> tuple[object | None, list]:
    """The one person ``text`` names among ``people``, else None with the people it might have meant.

    Matches, in this order: an id (unless ``by_id`` is off, for text a person typed freely); an e-mail
    address anywhere in the text (so "Name (address)" and "Name <address>"); a full name held by exactly
    one person. Capitals and spacing do not matter. The suggestions are those with the name held by
    several, or whose name or address contains the text.
    """
    key = _key(text)
    if not key:
        return None, []
    if key.isdigit() and by_id:
        return next((person for person in people if str(person.pk) == key), None), []
    address = EMAIL_IN_TEXT.search(key)
    if address:
        found = [person for person in people if person.email.casefold() == address.group(0)]
        return (found[0], []) if found else (None, [])
    named = [person for person in people if _key(person.get_full_name()) == key]
    if len(named) == 1:
        return named[0], []
    return None, named or [person for person in people if key in _key(person_label(person))]


class _Labels:
    """The labels of a field's people, read when the widget renders (the field's list is read once)."""

    def __init__(self, field):
        self.field = field

    def __iter__(self):
        return iter(person_label(person) for person in self.field.people_list())


class PersonInput(forms.TextInput):
    """A text input tied to a datalist: its own, or (``list_id`` set) one the page renders once for many inputs."""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.options = ()
        self.list_id = ""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        own_list = not self.list_id
        list_id = self.list_id or f"{attrs.get('id') or self.attrs.get('id') or name}-list"
        attrs["list"] = list_id
        html = super().render(name, value, attrs, renderer)
        if not own_list:
            return html
        options = format_html_join("", '<option value="{}"></option>', ((label,) for label in self.options))
        return html + format_html('<datalist id="{}">{}</datalist>', list_id, options)


class PersonField(forms.Field):
    """Choose one of ``people`` (a queryset or a list of users) by typing; cleans to the User or None.

    ``list_id`` names a datalist the page renders itself (``datalist_options``), for a sheet with a picker
    on every row: the list is then sent once, not once per row.
    """

    widget = PersonInput
    default_error_messages = {
        "unknown": _("No one who can be chosen here matches “%(text)s”. Type a name or e-mail address from the list."),
        "suggest": _("No one who can be chosen here is called “%(text)s”. Did you mean: %(names)s?"),
        "several": _(
            "More than one person is called “%(text)s”: %(names)s. Type the e-mail address of the one you mean."
        ),
    }

    def __init__(self, *, people=(), list_id: str = "", **kwargs):
        hint = _("Type part of a name or e-mail address and choose from the list.")
        kwargs["help_text"] = format_lazy("{} {}", kwargs["help_text"], hint) if kwargs.get("help_text") else hint
        super().__init__(**kwargs)
        self.people = people
        self.widget.list_id = list_id

    @property
    def people(self):
        return self._people

    @people.setter
    def people(self, people):
        self._people = people
        self._people_list = None
        self.widget.options = _Labels(self)

    def people_list(self) -> list:
        """The people, read once per form (a queryset costs one query, however often the field asks)."""
        if self._people_list is None:
            self._people_list = list(self._people)
        return self._people_list

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        source = self._people.all() if isinstance(self._people, QuerySet) else self._people
        result.people = source
        return result

    def prepare_value(self, value):
        """A user or an id is shown as the label; typed text as it was typed."""
        if hasattr(value, "email"):
            return person_label(value)
        if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
            person, _maybe = find_person(str(value), self.people_list())
            return person_label(person) if person is not None else value
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "email"):
            value = value.email
        text = one_line(value)
        person, maybe = find_person(text, self.people_list())
        if person is not None:
            return person
        shown = ", ".join(person_label(candidate) for candidate in maybe[:SUGGESTIONS_SHOWN])
        if len(maybe) > SUGGESTIONS_SHOWN:
            shown += " …"
        several = maybe and all(_key(candidate.get_full_name()) == _key(text) for candidate in maybe)
        code = "several" if several else "suggest" if maybe else "unknown"
        raise ValidationError(self.error_messages[code], code=code, params={"text": text[:100], "names": shown})

    def has_changed(self, initial, data):
        try:
            chosen = self.to_python(data)
        except ValidationError:
            return True
        initial_pk = getattr(initial, "pk", initial)
        return str(initial_pk or "") != str(getattr(chosen, "pk", "") or "")


def datalist_options(people) -> list[str]:
    """The labels for a datalist a page renders once (see ``PersonField(list_id=...)``)."""
    return [person_label(person) for person in people]
