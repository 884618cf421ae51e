"""The signing form's page, kept per process: rendered once per link state, the CSRF token put in per request.

Here rather than in the views module so that tests can empty the kept pages
(``kept_pages_forget``) without importing a views module (tests/test_layout.py).
"""

import collections

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from onboarding.declarations.forms import DeclarationSignForm

SIGN_TEMPLATE = "onboarding/declaration_sign.html"
CSRF_HOLE = "csrf-token-goes-here-0b7d4e"
KEPT_PAGES_MAX = 256
_kept_pages: collections.OrderedDict = collections.OrderedDict()


def form_context(link, form, shown) -> dict:
    return {"link": link, "form": form, "shown": shown, "code_of_conduct_url": settings.CODE_OF_CONDUCT_URL}


def form_page(request, link, shown, language) -> HttpResponse:
    """The empty signing form; for an anonymous visitor with no messages, from a page kept per process.

    That page is the same for every view of a link in a given state (text
    version, name, expiry, language) except for the CSRF token, which is put
    in per request. Rendering it was most of the page's time
    (benchmarks/sign_page.py); the link's state is still read every time.
    """
    keep = not request.user.is_authenticated and not len(get_messages(request))
    key = (shown, link.full_name, link.expires_at, language)
    html = _kept_pages.get(key) if keep else None
    if html is None:
        form = DeclarationSignForm(registered_name=link.full_name, initial={"language": language})
        context = form_context(link, form, shown)
        if keep:
            context["csrf_token"] = CSRF_HOLE
        html = render_to_string(SIGN_TEMPLATE, context, request)
        if keep:
            _kept_pages[key] = html
            while len(_kept_pages) > KEPT_PAGES_MAX:
                _kept_pages.popitem(last=False)
    if keep:
        html = html.replace(CSRF_HOLE, get_token(request))
    return HttpResponse(html)


def kept_pages_forget() -> None:
    """Drop the kept pages (tests, where each test has its own database)."""
    _kept_pages.clear()
