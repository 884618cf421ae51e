"""Rules of the integrity declaration: the text as shown, its hash, name matching, status.

Plain functions, no requests and no writes. The signing page, the PDF and the
signature record all take the declaration's wording from ``shown_text`` so
that the SHA-256 kept with a signature is the hash of exactly what the
external read.
"""

import hashlib
import re
import unicodedata

from django.db.models import Case, Exists, OuterRef, Value, When

from core.text_rules import without_format_characters
from onboarding.enums import Status
from onboarding.models import DeclarationRequest, DeclarationSignature, Text

_WHITESPACE = re.compile(r"\s+")
_BLANK_LINE = re.compile(r"\n\s*\n")


def shown_text(text: Text) -> str:
    """The exact wording the signing page shows: the title, a blank line, the body.

    Line ends are normalised to ``\\n`` and paragraphs are separated by exactly
    one blank line, the way the page renders them.
    """
    body = text.body.replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = [paragraph.strip() for paragraph in _BLANK_LINE.split(body) if paragraph.strip()]
    return "\n\n".join([text.title.strip(), *paragraphs])


def text_paragraphs(shown: str) -> tuple[str, list[str]]:
    """(title, paragraphs) of a ``shown_text``, for the page and the PDF."""
    title, *paragraphs = shown.split("\n\n")
    return title, paragraphs


def text_sha256(shown: str) -> str:
    return hashlib.sha256(shown.encode("utf-8")).hexdigest()


def normalise_name(name: str) -> str:
    """What typed and registered names are compared on: no accents, case, extra spaces or invisible characters.

    "  José  van der  BERG " and "Jose van der Berg" both become "jose van der berg".
    """
    decomposed = unicodedata.normalize("NFKD", without_format_characters(name))
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _WHITESPACE.sub(" ", without_accents.casefold()).strip()


def names_match(typed: str, registered: str) -> bool:
    typed_key = normalise_name(typed)
    return bool(typed_key) and typed_key == normalise_name(registered)


def declaration_status(now):
    """The declaration state of an external, as an expression on Newcomer rows.

    Signed when a signature that is not withdrawn exists; otherwise it follows
    from the active (not invalidated) link: expired, opened, sent, or not sent
    when there is none.
    """
    signed = DeclarationSignature.objects.filter(newcomer=OuterRef("pk"), withdrawn_at__isnull=True)
    active = DeclarationRequest.objects.filter(newcomer=OuterRef("pk"), invalidated_at__isnull=True)
    return Case(
        When(Exists(signed), then=Value(Status.DECLARATION_SIGNED.value)),
        When(Exists(active.filter(expires_at__lte=now)), then=Value(Status.DECLARATION_EXPIRED.value)),
        When(Exists(active.filter(opened_at__isnull=False)), then=Value(Status.DECLARATION_OPENED.value)),
        When(Exists(active), then=Value(Status.DECLARATION_SENT.value)),
        default=Value(Status.DECLARATION_NOT_SENT.value),
    )
