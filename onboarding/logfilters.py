"""Logging filters: personal links never reach a log.

Django logs the request path of every 4xx/5xx answer (``django.request``,
``django.security.csrf``, ``django.server``); for a signing link the path is
the secret. ``RedactTokens`` rewrites such records in place, so the record
that propagates to every handler is already clean.
"""

import logging
import re

PERSONAL_LINK = re.compile(r"/d/[^/\s\"'?#]+")
REDACTED = "/d/[redacted]"


def redact(text: str) -> str:
    return PERSONAL_LINK.sub(REDACTED, text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is logging's business, not ours
            return True
        if "/d/" in message:
            record.msg, record.args = redact(message), ()
        return True
