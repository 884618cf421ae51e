"""Personal links for people without an account (newcomers, externals).

The link carries a random token of 256 bits; only its SHA-256 is stored, so a
copy of the database opens no link. Compare digests, never raw tokens.
"""

import hashlib
import secrets

TOKEN_BYTES = 32


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def token_new() -> tuple[str, str]:
    """A fresh (raw token for the link, digest to store)."""
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    return raw, token_digest(raw)


def token_looks_valid(raw: str) -> bool:
    """Cheap shape check before touching the database (tampered or truncated links)."""
    return 40 <= len(raw) <= 64 and all(c.isalnum() or c in "-_" for c in raw)
