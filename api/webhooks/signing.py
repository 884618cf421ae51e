"""How a delivery is signed, and how a receiver checks it.

Headers: ``Webhook-Id`` (the event's id, the same on every retry: a receiver can drop a duplicate),
``Webhook-Timestamp`` (Unix seconds of this attempt) and ``Webhook-Signature: v1=<hex>``, the
HMAC-SHA256 with the client's webhook secret over ``<timestamp>.<body>``. A receiver recomputes it,
compares in constant time and refuses a timestamp more than five minutes off (a replay).
"""

import hashlib
import hmac

TOLERANCE_SECONDS = 300


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


def signature_valid(*, secret: str, timestamp: str, body: bytes, header: str, now: float) -> bool:
    try:
        moment = int(timestamp)
    except ValueError:
        return False
    if abs(now - moment) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(signature(secret=secret, timestamp=moment, body=body), header)
