"""The public verification page of a proof: ``/verify/<code>/``, the address in its QR code.

No account needed. It shows the least that tells a proof is genuine: its
number, initials and surname, date, form, organisation, and whether it has
been revoked. Unknown and malformed codes get the same neutral 404 page, and
each client address has a limit per minute, so codes cannot be guessed.
"""

import functools

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.ratelimit import rate_limited, too_many_requests
from eed.ceremonies.selectors import certificate_by_code

PUBLIC_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
}


def public_page(view):
    """Per-address rate limit and the headers above, on every answer."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if rate_limited(request, scope="verify", per_minute=settings.VERIFY_PER_MINUTE):
            response = too_many_requests(request)
        else:
            response = view(request, *args, **kwargs)
        for name, value in PUBLIC_HEADERS.items():
            response[name] = value
        return response

    return wrapped


@public_page
@require_GET
def certificate_verify(request, code):
    certificate = certificate_by_code(code)
    if certificate is None:
        return render(request, "eed/verify_not_found.html", status=404)
    return render(request, "eed/verify.html", {"certificate": certificate})
