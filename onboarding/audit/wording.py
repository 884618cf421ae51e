"""An audit entry's changes in words, for people: labels, choices, names, ceremonies and local dates.

The trail stores what services wrote: field names, choice values, primary keys and ISO times
("manager: 2", "ceremony: 53", "kind: griffie"). Here each becomes what a page shows: the field's
verbose name, the choice's label, the person's name, the ceremony's moment and place, a date in the
table format. The people, ceremonies, appointments and texts that a list of entries names are read
with one query per kind (``References.read``), however many entries there are.

Models of the eed app are found through the app registry, as in ``history``: onboarding does not
import eed.
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.dates import ceremony_moment, table_date

# Keys that name a field by another name, per target model (label_lower).
FIELD_OF_KEY = {"eed.appointment": {"answer": "witness_answer", "substitute": "substitute_suggestion"}}
# Labels of keys that are no field of their entry's model, or a field without a translated name.
LABELS = {
    "ceremony": _("ceremony"),
    "appointment": _("ceremony"),  # a proof's appointment is shown as its ceremony
    "moved_from": _("moved from"),
    "reason": _("reason"),
    "attendance_confirmed_at": _("attendance confirmed"),
    "witness_present_label": _("witness present"),
    "certificate": _("proof"),
    "printed_name": _("name on the proof"),
    "sha256": _("SHA-256 of the scan"),
    "type": _("file type"),
    "step": _("reminder"),
    "files_removed": _("files removed"),
    "redacted_entries": _("entries anonymised"),
}
# Keys that point at another record without being a foreign key of the entry's model.
POINTS_AT = {"moved_from": "eed.ceremony"}
# Keys left out: the newcomer whose page it is, and what only a check reads.
HIDDEN = {"newcomer", "replaces", "seal"}
DATETIME_KEYS = {"attendance_confirmed_at", "opened_at", "withdrawn_at", "expires_at"}
DIGEST_KEYS = {"text_sha256", "sha256"}


@dataclass(frozen=True)
class Change:
    """One line of an entry's details: "Leidinggevende: Mehmet Yilmaz → Olga Bakker"."""

    label: str
    before: str | None
    after: str | None
    is_change: bool


def _model(target_type: str):
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def _field(model, key: str):
    if model is None:
        return None
    name = FIELD_OF_KEY.get(model._meta.label_lower, {}).get(key, key)
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _points_at(model, key: str) -> str | None:
    """The label_lower of the model a key refers to, if it refers to one."""
    if key in POINTS_AT:
        return POINTS_AT[key]
    found = _field(model, key)
    if isinstance(found, models.ForeignKey):
        return found.related_model._meta.label_lower
    return None


def _pairs(changes) -> list[tuple[str, object, object, bool]]:
    """(key, before, after, is a change) per key of an entry's changes; hidden keys and empty values left out."""
    if not isinstance(changes, dict):
        return []
    pairs = []
    for key, value in changes.items():
        if key in HIDDEN:
            continue
        if isinstance(value, dict) and set(value) == {"before", "after"}:
            pairs.append((key, value["before"], value["after"], True))
        elif value not in (None, "", []):
            pairs.append((key, None, value, False))
    return pairs


@dataclass
class References:
    """The records a list of entries points at, read with one query per kind."""

    names: dict[str, dict[str, str]] = field(default_factory=dict)  # label_lower -> str(pk) -> words

    @classmethod
    def read(cls, entries) -> "References":
        wanted: dict[str, set[str]] = {}
        for entry in entries:
            model = _model(entry.target_type)
            for key, before, after, _is_change in _pairs(entry.changes):
                target = _points_at(model, key)
                if target is not None:
                    wanted.setdefault(target, set()).update(str(v) for v in (before, after) if v not in (None, ""))
        references = cls()
        for target, ids in wanted.items():
            references.names[target] = _names_of(target, ids)
        return references

    def name(self, target: str, pk) -> str:
        return self.names.get(target, {}).get(str(pk)) or gettext("(removed)")


def _ceremony_words(ceremony) -> str:
    return f"{ceremony_moment(ceremony.starts_at)}, {ceremony.location}"


def _names_of(target: str, ids: set[str]) -> dict[str, str]:
    """str(pk) -> words for each record of the model ``target`` with those ids: one query."""
    model = _model(target)
    keys = [int(pk) for pk in ids if pk.isdigit()]
    if model is None or not keys:
        return {}
    records = model._default_manager.filter(pk__in=keys)
    if target == "eed.ceremony":
        return {str(ceremony.pk): _ceremony_words(ceremony) for ceremony in records}
    if target == "eed.appointment":
        return {str(a.pk): _ceremony_words(a.ceremony) for a in records.select_related("ceremony")}
    return {str(record.pk): str(record) for record in records}


def _moment(value: str):
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _day(value: str):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _words(model, key: str, value, references: References) -> str | None:
    """The value as a page shows it; None for nothing (the template prints a dash)."""
    if value is None or value == "" or value == []:
        return None
    found = _field(model, key)
    target = _points_at(model, key)
    if target is not None:
        return references.name(target, value)
    if found is not None and found.choices:
        return str(dict(found.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if key in DIGEST_KEYS and isinstance(value, str):
        return value[:12] + "…"
    if isinstance(value, str) and (key in DATETIME_KEYS or isinstance(found, models.DateTimeField)):
        moment = _moment(value)
        return table_date(moment) if moment else value
    if isinstance(value, str) and isinstance(found, models.DateField):
        day = _day(value)
        return table_date(day) if day else value
    return str(value)


def _label(model, key: str) -> str:
    if key in LABELS:
        return capfirst(str(LABELS[key]))
    found = _field(model, key)
    if found is not None and getattr(found, "verbose_name", None):
        return capfirst(str(found.verbose_name))
    return capfirst(key.replace("_", " "))


def described_changes(entry, references: References) -> list[Change]:
    """The entry's changes in words, in the order the service wrote them."""
    model = _model(entry.target_type)
    return [
        Change(
            label=_label(model, key),
            before=_words(model, key, before, references) if is_change else None,
            after=_words(model, key, after, references),
            is_change=is_change,
        )
        for key, before, after, is_change in _pairs(entry.changes)
    ]
