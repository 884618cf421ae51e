"""Text folded for searching: what people type finds what is stored, on SQLite and PostgreSQL alike.

Lower case (``casefold``), accents dropped (Çelik, Özdemir, Zoë), ligatures and letters without a
decomposition spelled out (ß, æ, ø, ł, the dotless i), every character that is not a letter or digit a
space. Latin names come out as lower-case ASCII; other scripts stay, lower-cased. The database then
compares plain strings with ``LIKE``, which needs no collation or extension on either database.
"""

import unicodedata

# Letters NFKD leaves as they are; casefold has already made ß "ss" and İ "i̇".
SPELLED_OUT = str.maketrans({"æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "\u0131": "i", "þ": "th"})


def fold(text: str) -> str:
    """``"Çelik-van 't Hof, Zoë"`` -> ``"celik van t hof zoe"``."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold().translate(SPELLED_OUT))
    kept = "".join(char if char.isalnum() else " " for char in decomposed if not unicodedata.combining(char))
    return " ".join(kept.split())
