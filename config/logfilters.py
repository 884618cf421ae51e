"""Logging filters: personal links, codes and search terms never reach a log.

Django logs the request line or path of every request (``django.server``) and
of every 4xx/5xx answer (``django.request``, ``django.security.csrf``). For a
personal link (declaration ``/d/``, newcomer ``/e/``), a calendar feed or a
proof's verification code the path is the secret, and a query string may
carry a searched name. ``RedactTokens`` rewrites such records in place, so
the record that propagates to every handler is already clean.
"""

import logging
import re

SECRET_PATH = re.compile(r"/(d|e|verify|calendar)/[^/\s\"'?#]+")
QUERY_STRING = re.compile(r"\?[^\s\"'#]*")


def redact(text: str) -> str:
    return QUERY_STRING.sub("?[redacted]", SECRET_PATH.sub(r"/\1/[redacted]", text))


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is logging's business, not ours
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True
