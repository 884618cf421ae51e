"""Per-address request limits for the public pages, counted in Django's cache.

A fixed one-minute window per client address and scope: cheap (one cache
``add`` or ``incr`` per request) and good enough to stop a script from
hammering the signing links; a burst at a window edge may reach twice the
limit. The count is only shared between server processes when the cache is
(``SHARED_CACHE=1``, the production default).

allauth's ``allauth.core.ratelimit`` was considered: it reads its rates from
allauth's own account settings and its maintainers mean to make it internal,
so it is not reused here.
"""

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render

WINDOW_SECONDS = 60


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or the proxy's last X-Forwarded-For entry when TRUST_X_FORWARDED_FOR is on."""
    address = request.META.get("REMOTE_ADDR", "")
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        address = forwarded.rsplit(",", 1)[-1].strip() or address
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _client_key(request) -> str:
    """The address, IPv6 cut to its /64 (one household or server has a whole /64)."""
    address = client_ip(request)
    if address is None:
        return "unknown"
    parsed = ipaddress.ip_address(address)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return address


def _window_key(request, scope: str) -> str:
    return f"ratelimit:{scope}:{_client_key(request)}:{int(time.time() // WINDOW_SECONDS)}"


def limit_reached(request, *, scope: str, per_minute: int) -> bool:
    """True when the client already made ``per_minute`` counted requests in this window (counts nothing)."""
    return (cache.get(_window_key(request, scope)) or 0) >= per_minute


def too_many_requests(request, *, language_links: bool = False) -> HttpResponse:
    """The 429 page every limited address answers with, in the page's language.

    ``language_links``: switch language with ``?lang=`` links, for pages whose
    language is picked that way (see templates/language_links.html).
    """
    response = render(request, "too_many_requests.html", {"language_links": language_links}, status=429)
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


def rate_limited(request, *, scope: str, per_minute: int) -> bool:
    """Count this request; True once the client has made more than ``per_minute`` in this window."""
    return _counted(_window_key(request, scope), per_minute)


def key_rate_limited(name: str, *, per_minute: int) -> bool:
    """The same count for a caller known by name rather than address (an API client)."""
    return _counted(f"ratelimit:{name}:{int(time.time() // WINDOW_SECONDS)}", per_minute)


def _counted(key: str, per_minute: int) -> bool:
    if cache.add(key, 1, timeout=WINDOW_SECONDS + 1):
        return per_minute < 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=WINDOW_SECONDS + 1)
        count = 1
    return count > per_minute
