"""Dutch reads as one voice: every message we serve says "u", and one thing has one word.

"Every message we serve" is every message of every Dutch catalogue Django merges for a page or a mail:
Django's own, each installed app's (allauth, django-tables2, django-filter, admin, auth, ...) and ours,
read the way a page reads them (through gettext with Dutch active), so a library's informal Dutch fails
here unless our catalogue gives it anew (``config/library_texts.py``).
"""

import ast
import re
from pathlib import Path

import django
import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
LIBRARY_TEXTS = ROOT / "config" / "library_texts.py"
OUR_CATALOGUE = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.mo"

# The informal "you" in all its forms, as words: "je" in "jeugd" or "projecten" is not one.
INFORMAL = re.compile(r"\b(?:je|jij|jou|jouw|jouwe|jullie|jezelf|jijzelf|alsjeblieft)\b", re.IGNORECASE)

# One thing, one word: what a variant must say instead.
ONE_WORD = {
    r"\baanmeld\w*": "inloggen, inlogcode",
    r"\bafmeld\w*": "uitloggen",
    r"\bbrowser venster": "browservenster",
    r"\bafgeslagen\b": "afgezegd",
    r"\btwee-?factor": "tweestapsverificatie",
    r"\be-?mail adres": "e-mailadres",
}


def served_catalogues() -> list[Path]:
    """The compiled Dutch catalogues Django merges, in its order: its own, each app's, then LOCALE_PATHS."""
    folders = [Path(django.__file__).parent / "conf" / "locale"]
    folders += [Path(app.path) / "locale" for app in apps.get_app_configs()]
    folders += [Path(path) for path in settings.LOCALE_PATHS]
    files = [folder / "nl" / "LC_MESSAGES" / "django.mo" for folder in folders]
    return [file for file in files if file.exists()]


def served_messages() -> list[tuple[str | None, str, str]]:
    """(context, message id, plural id or "") of every message in those catalogues, once each."""
    seen = {}
    for catalogue in served_catalogues():
        for entry in polib.mofile(str(catalogue)):
            if entry.msgid:
                seen.setdefault((entry.msgctxt, entry.msgid, entry.msgid_plural or ""), None)
    return list(seen)


def dutch(context, msgid, plural) -> list[str]:
    """What a Dutch page shows for the message (both plural forms)."""
    with translation.override("nl"):
        if plural and context:
            return [translation.npgettext(context, msgid, plural, n) for n in (1, 2)]
        if plural:
            return [translation.ngettext(msgid, plural, n) for n in (1, 2)]
        return [translation.pgettext(context, msgid) if context else translation.gettext(msgid)]


@pytest.fixture(scope="module")
def messages():
    return [(key, dutch(*key)) for key in served_messages()]


def test_every_catalogue_we_serve_is_read():
    names = {catalogue.parts[-5] for catalogue in served_catalogues()}
    assert {"allauth", "django_tables2", "django_filters", "admin", "auth"} <= names
    assert OUR_CATALOGUE in served_catalogues()


def test_every_message_we_serve_says_u(messages):
    offenders = [
        f"{msgid!r} -> {text!r}" for (_c, msgid, _p), texts in messages for text in texts if INFORMAL.search(text)
    ]
    advice = "informal Dutch: give it anew in config/library_texts.py and locale/nl/LC_MESSAGES/django.po"
    assert offenders == [], advice + "\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    ("text", "informal"),
    [
        ("Je account is beveiligd. Voer alstublieft een code in:", True),
        ("Het door jou opgegeven e-mailadres", True),
        ("Weet JE het zeker?", True),
        ("Bewaar ze goed, alsjeblieft.", True),
        ("Uw account is beveiligd met tweestapsverificatie.", False),
        ("Jeugdzorg, projecten en de Jeroen Boschlaan", False),
    ],
)
def test_the_voice_check_knows_the_informal_forms(text, informal):
    assert bool(INFORMAL.search(text)) is informal


def test_one_thing_has_one_word(messages):
    offenders = [
        f"{msgid!r} -> {text!r}: say {word}"
        for (_c, msgid, _p), texts in messages
        for text in texts
        for variant, word in ONE_WORD.items()
        if re.search(variant, text, re.IGNORECASE)
    ]
    assert offenders == [], "\n".join(offenders)


def test_the_words_chosen_are_the_ones_shown():
    with translation.override("nl"):
        assert translation.gettext("Send me a sign-in code") == "Stuur mij een inlogcode"
        assert translation.gettext("Sign-In Code") == "Inlogcode"
        assert translation.gettext("Sign Out") == translation.gettext("Log out") == "Uitloggen"
        assert translation.gettext("Declined") == "Afgezegd"
        assert translation.gettext("Witness declined") == "Getuige afgezegd"
        assert "browservenster" in translation.gettext(
            "Your sign-in code is listed below. Please enter it in your open browser window."
        )


def library_texts() -> list[tuple[str | None, str, str]]:
    """(context, message id, plural id or "") of each message config/library_texts.py names."""
    found = []
    for node in ast.walk(ast.parse(LIBRARY_TEXTS.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            args = [arg.value for arg in node.args if isinstance(arg, ast.Constant)]
            if node.func.id == "_":
                found.append((None, args[0], ""))
            elif node.func.id == "pgettext_lazy":
                found.append((args[0], args[1], ""))
            elif node.func.id == "ngettext_lazy":
                found.append((None, args[0], args[1]))
    return found


def test_each_message_we_give_anew_is_still_the_librarys_and_ours():
    ours = {(e.msgctxt, e.msgid, e.msgid_plural or ""): e for e in polib.mofile(str(OUR_CATALOGUE))}
    theirs = set()
    for catalogue in served_catalogues():
        if catalogue != OUR_CATALOGUE:
            theirs.update((e.msgctxt, e.msgid, e.msgid_plural or "") for e in polib.mofile(str(catalogue)))
    named = library_texts()
    assert len(named) > 100
    assert [key for key in named if key not in theirs] == [], "a library changed this message id: drop or update it"
    assert [key for key in named if key not in ours] == [], "translate it in locale/nl/LC_MESSAGES/django.po"
