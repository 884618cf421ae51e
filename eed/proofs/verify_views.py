"""The public verification page of a proof: ``/verify/<code>/``, the address in its QR code.

No account needed. It shows the least that tells a proof is genuine: its
number, initials and surname, date, form, organisation, and whether it has
been revoked. Unknown and malformed codes get the same neutral 404 page, and
each client address has a limit per minute, so codes cannot be guessed.
"""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.public_pages import public_page
from eed.ceremonies.selectors import certificate_by_code


@public_page(scope="verify", limit="VERIFY_PER_MINUTE")
@require_GET
def certificate_verify(request, code):
    certificate = certificate_by_code(code)
    if certificate is None:
        return render(request, "eed/verify_not_found.html", status=404)
    return render(request, "eed/verify.html", {"certificate": certificate})
