"""The columns of a newcomer import: their Dutch and English headers, which are required, and how each
cell is cleaned into a value (or a problem the preview shows).
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.text_rules import control_characters_error, normalised_name
from onboarding.enums import AppointingBody, Kind
from onboarding.models import Newcomer, User
from onboarding.models.newcomers import NEWCOMER_FIELDS

# Canonical column name -> accepted Dutch header. Headers match after removing
# case, spaces, "-" and "_" (so "E-mail", "email" and "e_mail" are the same).
COLUMNS = {
    "personnel_number": "personeelsnummer",
    "given_names": "voornamen",
    "surname_prefix": "tussenvoegsel",
    "surname": "achternaam",
    "email": "e-mail",
    "start_date": "datum_in_dienst",
    "kind": "soort",
    "manager_email": "e-mail_leidinggevende",
    "appointing_body": "aanstellend_orgaan",
    "end_date": "datum_uit_dienst",
    "language": "taal",
}


# The personnel number of the template's example row (onboarding.imports.template): a row with it is never
# imported. Compared by match_key, so "Voorbeeld" and "example" are the example too.
EXAMPLE_PERSONNEL_NUMBER = "VOORBEELD"


# The newcomer fields an import can set: those of NEWCOMER_FIELDS that have a column, in that order.
IMPORTED_FIELDS = tuple(name for name in NEWCOMER_FIELDS if name in COLUMNS)
OPTIONAL_COLUMNS = frozenset({"surname_prefix", "manager_email", "appointing_body", "end_date", "language"})


# Optional columns whose empty cell means "none" (stored as NULL) rather than an empty text.
NULLABLE_COLUMNS = frozenset({"end_date"})


REQUIRED_COLUMNS = tuple(name for name in COLUMNS if name not in OPTIONAL_COLUMNS)


# Columns stored as a registered name: normalised as the newcomer form does (core.text_rules).
NAME_COLUMNS = frozenset({"given_names", "surname_prefix", "surname"})


KIND_VALUES = {
    "employee": Kind.EMPLOYEE,
    "medewerker": Kind.EMPLOYEE,
    "trainee": Kind.TRAINEE,
    "griffie": Kind.GRIFFIE,
    "external": Kind.EXTERNAL,
    "extern": Kind.EXTERNAL,
    "inhuur": Kind.EXTERNAL,
}


LANGUAGE_VALUES = {
    "nl": "nl",
    "nederlands": "nl",
    "dutch": "nl",
    "en": "en",
    "engels": "en",
    "english": "en",
}


APPOINTING_BODY_VALUES = {
    "civil_service": AppointingBody.CIVIL_SERVICE,
    "ambtelijke organisatie": AppointingBody.CIVIL_SERVICE,
    "provinciesecretaris": AppointingBody.CIVIL_SERVICE,
    "griffie": AppointingBody.GRIFFIE,
    "griffier": AppointingBody.GRIFFIE,
}


MAX_LENGTHS = {
    name: Newcomer._meta.get_field(name).max_length
    for name in ("personnel_number", "given_names", "surname_prefix", "surname", "email")
} | {"manager_email": User._meta.get_field("email").max_length}


FORMULA_STARTS = ("=", "+", "-", "@")


START_YEARS = (1950, 2100)


_SEPARATORS = re.compile(r"[\s_-]+")


_DAY_FIRST = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")


_YEAR_FIRST = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def match_key(text: str) -> str:
    """What headers and choice values are compared on: no case, spaces, '-' or '_'."""
    return _SEPARATORS.sub("", text.replace("\ufeff", "").strip().lower())


HEADER_KEYS = {match_key(alias): name for name, dutch in COLUMNS.items() for alias in (name, dutch)}


EXAMPLE_KEYS = frozenset({match_key(EXAMPLE_PERSONNEL_NUMBER), "example"})


def is_example_number(personnel_number) -> bool:
    return isinstance(personnel_number, str) and match_key(personnel_number) in EXAMPLE_KEYS


KIND_KEYS = {match_key(value): kind for value, kind in KIND_VALUES.items()}


APPOINTING_BODY_KEYS = {match_key(value): body for value, body in APPOINTING_BODY_VALUES.items()}


LANGUAGE_KEYS = {match_key(value): code for value, code in LANGUAGE_VALUES.items()}


def cleaned_value(name: str, text: str):
    """(value, error message or None) for one cell."""
    error = control_characters_error(text, field=capfirst(COLUMNS[name]))
    if error is not None:  # every cell is one line: a line break in a name would reach mail subjects
        return text, error.messages[0]
    if name in NAME_COLUMNS:
        text = normalised_name(text)
    if not text:
        return None if name in NULLABLE_COLUMNS else "", None if name in OPTIONAL_COLUMNS else _(
            "This value is required."
        )
    max_length = MAX_LENGTHS.get(name)
    if max_length and len(text) > max_length:
        return text, _("At most %(max)s characters are allowed (this has %(length)s).") % {
            "max": max_length,
            "length": len(text),
        }
    cleaner = CLEANERS.get(name)
    return cleaner(text) if cleaner else (text, None)


def cleaned_email(text: str):
    email = text.lower()
    try:
        validate_email(email)
    except ValidationError:
        return text, _('"%(value)s" is not a valid e-mail address.') % {"value": text}
    return email, None


def cleaned_date(text: str):
    match = _DAY_FIRST.fullmatch(text)
    parts = (match[3], match[2], match[1]) if match else None
    match = _YEAR_FIRST.fullmatch(text)
    parts = (match[1], match[2], match[3]) if match else parts
    if parts is None:
        return text, _('"%(value)s" is not a date; use dd-mm-yyyy or yyyy-mm-dd.') % {"value": text}
    try:
        day = datetime.date(*(int(part) for part in parts))
    except ValueError:
        return text, _('"%(value)s" is not an existing date.') % {"value": text}
    if not START_YEARS[0] <= day.year <= START_YEARS[1]:
        return text, _("The year must be between %(first)s and %(last)s.") % {
            "first": START_YEARS[0],
            "last": START_YEARS[1],
        }
    return day, None


UNKNOWN_KIND = gettext_lazy(
    'Unknown kind "%(value)s"; use employee (medewerker), trainee, griffie or external (extern, inhuur).'
)


UNKNOWN_APPOINTING_BODY = gettext_lazy(
    'Unknown appointing body "%(value)s"; use civil_service or griffie, or leave it empty.'
)


UNKNOWN_LANGUAGE = gettext_lazy('Unknown language "%(value)s"; use nl (Nederlands) or en (English), or leave it empty.')


def _cleaned_choice(text: str, keys: dict, unknown) -> tuple:
    """The value ``text`` names in ``keys`` (compared by match_key), or the ``unknown`` message."""
    value = keys.get(match_key(text))
    if value is None:
        return text, str(unknown) % {"value": text}
    return value, None


def cleaned_kind(text: str):
    return _cleaned_choice(text, KIND_KEYS, UNKNOWN_KIND)


def cleaned_appointing_body(text: str):
    return _cleaned_choice(text, APPOINTING_BODY_KEYS, UNKNOWN_APPOINTING_BODY)


def cleaned_language(text: str):
    return _cleaned_choice(text, LANGUAGE_KEYS, UNKNOWN_LANGUAGE)


CLEANERS = {
    "email": cleaned_email,
    "manager_email": cleaned_email,
    "start_date": cleaned_date,
    "end_date": cleaned_date,
    "kind": cleaned_kind,
    "appointing_body": cleaned_appointing_body,
    "language": cleaned_language,
}


def display_value(name: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    if name == "kind" and value in Kind.values:
        return str(Kind(value).label)
    if name == "appointing_body" and value in AppointingBody.values:
        return str(AppointingBody(value).label)
    if name == "language":
        return dict(settings.LANGUAGES).get(value, value)
    return str(value)
