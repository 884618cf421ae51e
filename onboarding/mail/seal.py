"""Queued mail at rest: sealed with AES-256-GCM under a key derived from SECRET_KEY.

Mail carries secrets (declaration and newcomer links, login codes,
password-set links), so the queue stores it sealed and a copy of the database
alone opens nothing. Keys are HKDF-SHA256 of SECRET_KEY, one per purpose;
messages sealed before a key rotation open with SECRET_KEY_FALLBACKS. The
envelope (sender, recipients) is the associated data: a row whose recipients
were changed in the database no longer opens, so it cannot be redirected.
"""

import hashlib
import hmac
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils.encoding import force_bytes

FORMAT = b"\x01"  # first byte of every sealed message: AES-256-GCM, 96-bit nonce
NONCE_BYTES = 12
SEAL_PURPOSE = b"onboarding.mail.outbox.seal"
DIGEST_PURPOSE = b"onboarding.mail.outbox.digest"


class SealBroken(Exception):
    """No configured key opens the stored bytes: SECRET_KEY changed without a fallback, or the row was altered."""


def _key(secret, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(force_bytes(secret))


def _keys(purpose: bytes) -> list[bytes]:
    """The current key first, then those of SECRET_KEY_FALLBACKS (for what was stored before a rotation)."""
    return [_key(secret, purpose) for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]]


def _envelope(from_email: str, recipients: list[str]) -> bytes:
    return json.dumps([from_email, list(recipients)]).encode()


def mail_seal(raw: bytes, *, from_email: str, recipients: list[str]) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_key(settings.SECRET_KEY, SEAL_PURPOSE)).encrypt(nonce, raw, _envelope(from_email, recipients))
    return FORMAT + nonce + sealed


def mail_unseal(sealed: bytes, *, from_email: str, recipients: list[str]) -> bytes:
    """The MIME bytes as queued; raises SealBroken when no key opens them."""
    if sealed[:1] != FORMAT:
        raise SealBroken("the stored message is empty or not sealed")
    nonce, ciphertext = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
    envelope = _envelope(from_email, recipients)
    for key in _keys(SEAL_PURPOSE):
        try:
            return AESGCM(key).decrypt(nonce, ciphertext, envelope)
        except InvalidTag:
            continue
    raise SealBroken("no key in SECRET_KEY or SECRET_KEY_FALLBACKS opens the stored message")


def mail_digest(raw: bytes) -> str:
    """HMAC-SHA256 of the bytes as sent, kept as proof once the body is erased.

    Keyed, not a plain SHA-256: with the template and headers known, a plain
    hash would let a copy of the database find a short login code by trying them all.
    """
    return hmac.new(_key(settings.SECRET_KEY, DIGEST_PURPOSE), raw, hashlib.sha256).hexdigest()


def mail_digest_matches(raw: bytes, digest: str) -> bool:
    """Whether ``raw`` (e.g. a copy the recipient kept) is exactly the message that was sent."""
    return any(
        hmac.compare_digest(hmac.new(key, raw, hashlib.sha256).hexdigest(), digest) for key in _keys(DIGEST_PURPOSE)
    )
