"""Every absolute link the application writes starts with ``SITE_URL``.

Mail links (personal links, witness requests, invitations, digests), the QR
code on a proof, a private calendar feed's address and allauth's own mails
(password reset) are built here, never from the host a request came in on:
a mail sent by a cron job has no request, and one asked for through another
host name (a proxy, ``localhost`` instead of ``127.0.0.1``) must still point at
the one public address.
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """``SITE_URL`` followed by ``path`` (which starts with ``/``, as ``reverse()`` gives it)."""
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"A site path starts with one slash, not {path[:20]!r}.")
    return settings.SITE_URL + path


def absolute_reverse(viewname: str, *, args=None, kwargs=None) -> str:
    """``absolute_url(reverse(viewname, ...))``."""
    return absolute_url(reverse(viewname, args=args, kwargs=kwargs))


def site_root() -> str:
    """The site's own address, as mails print it under the signature."""
    return absolute_url("/")


def rebased(url: str) -> str:
    """An absolute URL someone built from the request's host, moved onto ``SITE_URL`` (path and query kept)."""
    parts = urlsplit(url)
    path = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    return absolute_url(path)
