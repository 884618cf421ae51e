"""What characters free text may hold, and the normal form of names.

Two kinds of text field:

- **One line**: names, places, titles, a suggested substitute, a team,
  anything that can reach a mail subject or header, a calendar invite or a
  line of a PDF. No control character at all: no tab, line break, NUL, DEL,
  no C1 control (U+0080-U+009F), no Unicode line or paragraph separator.
- **Several lines**: notes, reasons, the adapted manner, the body of a text
  (form widget: a textarea). Line breaks (CR, LF) and tabs are kept; every
  other control character is refused. Such text never reaches a subject or
  a header, and the calendar writer folds its lines (``eed.calendar.ical``).

Forms apply this to every text field (``core.text_rules.TextRulesMixin``),
the import to every cell (``onboarding.imports.reading``). Text stored before
these rules may still hold control characters: whatever builds a subject
or header passes it through ``one_line``, which never fails.

Names are also normalised before they are stored: NFC, without Unicode
format characters (category Cf: zero-width spaces and joiners, soft
hyphens, bidi controls, which no one sees and which break name matching),
with single spaces (``normalised_name``). A name typed to sign a
declaration must moreover look like a name (``signing_name``).
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# C0 controls (tab, LF, CR included), DEL, C1 controls, LINE SEPARATOR, PARAGRAPH SEPARATOR.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# The same, less the tab and the line ends that text of several lines keeps.
_CONTROL_IN_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")

ONE_LINE_MESSAGE = _("%(field)s cannot contain line breaks, tabs or other control characters.")
LINES_MESSAGE = _("%(field)s cannot contain control characters (line breaks and tabs are fine).")

# A signed name: letters with at most this many combining marks each, and these separators (after NFKC).
MAX_MARKS_PER_LETTER = 3
NAME_PUNCTUATION = frozenset(" -\u2010'\u2018\u2019.")
SIGNING_NAME_MAX_LENGTH = 400  # the stored field's size; NFKC can lengthen what was typed


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    return bool((_CONTROL_IN_LINES if multiline else _CONTROL).search(text))


def control_characters_error(text: str, *, field, multiline: bool = False) -> ValidationError | None:
    """The error for ``text`` in the field labelled ``field``, or None when the text keeps the rule."""
    if not has_control_characters(text, multiline=multiline):
        return None
    message = LINES_MESSAGE if multiline else ONE_LINE_MESSAGE
    return ValidationError(message, code="control_characters", params={"field": field})


@deconstructible
class NoControlCharacters:
    """Validator: refuses control characters (one line), or all but line ends and tabs (``multiline``)."""

    def __init__(self, field="", *, multiline: bool = False):
        self.field = field or _("This text")
        self.multiline = multiline

    def __call__(self, value):
        error = control_characters_error(str(value), field=self.field, multiline=self.multiline)
        if error is not None:
            raise error

    def __eq__(self, other):
        return isinstance(other, NoControlCharacters) and (self.field, self.multiline) == (other.field, other.multiline)


no_control_characters = NoControlCharacters()


def one_line(text) -> str:
    """Any text as one line, for a mail subject or header: every control character and run of spaces one space.

    Never fails; the defence for text stored before the rules above (a subject with a line
    break makes Django refuse the whole message).
    """
    return " ".join(_CONTROL.sub(" ", str(text)).split())


def without_format_characters(text: str) -> str:
    """``text`` without Unicode format characters (Cf): zero-width spaces and joiners, bidi controls, soft hyphens."""
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def normalised_name(text: str) -> str:
    """A registered name as stored: NFC, no format characters, single spaces, no spaces around it."""
    return " ".join(unicodedata.normalize("NFC", without_format_characters(text)).split())


def signing_name(typed: str, *, registered: str = "") -> str:
    """The name an external typed to sign, as stored and printed; ValidationError when it is not a name.

    NFKC turns stylised letters (mathematical script, full-width) into the plain letters
    they stand for, so those are accepted and stored plain. What remains must
    be letters, each with at most MAX_MARKS_PER_LETTER combining marks, and
    spaces, hyphens, apostrophes and full stops: no digits, symbols or
    invisible characters, which the PDF could not print anyway; except those
    in the ``registered`` name, which the external must be able to type.
    """
    name = " ".join(unicodedata.normalize("NFKC", without_format_characters(typed)).split())
    if len(name) > SIGNING_NAME_MAX_LENGTH:
        raise ValidationError(
            _("Your name is too long: at most %(max)s characters."),
            code="name_too_long",
            params={"max": SIGNING_NAME_MAX_LENGTH},
        )
    refused = _characters_no_name_has(name, also_allowed=set(normalised_name(registered)))
    if refused:
        raise ValidationError(
            _(
                "Type your name in letters; spaces, hyphens, apostrophes and full stops are fine. "
                "These characters are not accepted: %(characters)s"
            ),
            code="name_characters",
            params={"characters": ", ".join(refused)},
        )
    if _most_marks_on_one_letter(name) > MAX_MARKS_PER_LETTER:
        raise ValidationError(_("Your name has too many accents on one letter."), code="name_marks")
    return name


def _characters_no_name_has(name: str, *, also_allowed: set[str]) -> list[str]:
    """The distinct characters of ``name`` that are no letter, mark or name punctuation (unprintable ones as U+XXXX)."""
    refused = []
    for char in name:
        if unicodedata.category(char)[0] in "LM" or char in NAME_PUNCTUATION or char in also_allowed:
            continue
        shown = char if char.isprintable() else f"U+{ord(char):04X}"
        if shown not in refused:
            refused.append(shown)
    return refused[:10]


def _most_marks_on_one_letter(name: str) -> int:
    """The longest run of combining marks; a mark with no letter before it counts as too many."""
    most = run = 0
    after_letter = False
    for char in name:
        if unicodedata.category(char)[0] == "M":
            if not after_letter:
                return MAX_MARKS_PER_LETTER + 1
            run += 1
            most = max(most, run)
        else:
            after_letter = unicodedata.category(char)[0] == "L"
            run = 0
    return most


class TextRulesMixin:
    """Every text field keeps the rules of ``core.text_rules``; the ``name_fields`` are stored normalised.

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
