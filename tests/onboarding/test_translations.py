"""The Dutch catalogue is complete, consistent, and compiled into the committed .mo."""

import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "nl" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+(?:\.\w+)?)\)[sd]|\{\{\s*[\w.]+\s*\}\}")


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(LOCALE / "django.po"))


def _translations(entry):
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_every_message_has_a_dutch_translation(catalogue):
    untranslated = [entry.msgid for entry in catalogue if not all(_translations(entry))]
    fuzzy = [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]
    assert untranslated == []
    assert fuzzy == []


def test_translations_keep_the_placeholders(catalogue):
    for entry in catalogue:
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        for text in _translations(entry):
            assert sorted(PLACEHOLDER.findall(text)) == expected, entry.msgid


def test_the_committed_mo_matches_the_po(catalogue):
    compiled = {(entry.msgctxt, entry.msgid): _translations(entry) for entry in polib.mofile(str(LOCALE / "django.mo"))}
    source = {(entry.msgctxt, entry.msgid): _translations(entry) for entry in catalogue if not entry.obsolete}
    assert compiled == source, "Run: .venv/bin/python manage.py compilemessages --ignore=.venv"


def test_django_uses_the_catalogue():
    with translation.override("nl"):
        assert translation.gettext("Newcomers") == "Nieuwkomers"
        assert translation.pgettext("role", "Manager") == "Leidinggevende"
    with translation.override("en"):
        assert translation.gettext("Newcomers") == "Newcomers"
