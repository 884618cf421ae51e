"""The one decorator for pages anyone can open without an account: personal links and proof checks.

Such an address is itself a secret (a link token) or invites guessing one (a
verification code), so every answer it gives, 403, 404 and 429 included,
carries the same headers: no referrer to other sites, nothing kept in a
cache, nothing indexed. Each client address is limited per minute
(``core.ratelimit``), GETs and POSTs counted apart where the page takes posts.
"""

import contextlib
import functools

from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from core.languages import SUPPORTED_LANGUAGES
from core.ratelimit import rate_limited, too_many_requests

PUBLIC_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}


def public_page(*, scope: str, limit: str, post_limit: str | None = None, query_language: bool = False):
    """Per-address rate limit and the public headers, on every answer of the view.

    ``limit`` and ``post_limit`` name the settings holding the requests per
    minute (read on every request, so tests can change them). With
    ``post_limit``, GETs count under ``<scope>-get`` and POSTs under
    ``<scope>-post``; without it every request counts under ``scope``.
    ``query_language``: the page's language is picked with ``?lang=`` (the
    declaration link), so the view and the 429 page run in it and the 429
    page offers that switch. Cache-Control is Django's ``never_cache`` one
    (``max-age=0, no-cache, no-store, must-revalidate, private``).
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            language = translation.override(_query_language(request)) if query_language else contextlib.nullcontext()
            with language:
                if _limited(request, scope=scope, limit=limit, post_limit=post_limit):
                    response = too_many_requests(request, language_links=query_language)
                else:
                    response = view(request, *args, **kwargs)
            for name, value in PUBLIC_HEADERS.items():
                response[name] = value
            add_never_cache_headers(response)
            return response

        return wrapped

    return decorator


def _limited(request, *, scope: str, limit: str, post_limit: str | None) -> bool:
    if post_limit is None:
        return rate_limited(request, scope=scope, per_minute=getattr(settings, limit))
    if request.method == "POST":
        return rate_limited(request, scope=f"{scope}-post", per_minute=getattr(settings, post_limit))
    return rate_limited(request, scope=f"{scope}-get", per_minute=getattr(settings, limit))


def _query_language(request) -> str:
    picked = request.GET.get("lang")
    return picked if picked in SUPPORTED_LANGUAGES else translation.get_language()
