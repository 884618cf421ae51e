"""CSRF protection for pages sent with ``Referrer-Policy: no-referrer``.

Browsers send such a page's own form posts with ``Origin: null`` and no
Referer (Fetch standard, "append a request Origin header"), which Django's
``CsrfViewMiddleware`` refuses as a foreign origin. For the views decorated
here, and only those, ``Origin: null`` and a missing Referer are accepted;
any other Origin or Referer must still be ours, and the CSRF cookie and form
token must always match (a cross-site page can read neither).
"""

from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.csrf import csrf_exempt


class NoReferrerCsrfViewMiddleware(CsrfViewMiddleware):
    def _origin_verified(self, request):
        return request.META["HTTP_ORIGIN"] == "null" or super()._origin_verified(request)

    def _check_referer(self, request):
        if request.META.get("HTTP_REFERER"):
            super()._check_referer(request)


_protect = decorator_from_middleware(NoReferrerCsrfViewMiddleware)


def csrf_protect_no_referrer(view):
    """Exempt from the global CSRF middleware, protected by the variant above instead."""
    return csrf_exempt(_protect(view))
