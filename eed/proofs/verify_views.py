"""The public verification page of a proof: ``/verify/<code>/``, the address in its QR code; and ``/verify/``.

No account needed. It shows the least that tells a proof is genuine: its
number, initials and surname, date, form, organisation, and whether it has
been revoked. Unknown and malformed codes get the same neutral 404 page, and
each client address has a limit per minute, so codes cannot be guessed.

``/verify/`` takes an uploaded PDF instead (eed/proofs/file_check.py): is it
exactly a proof or declaration copy we issued, revoked or not, and is its seal
intact. The file is read in memory and not kept; its size and the posts per
client address are limited.
"""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from core.csrf import csrf_protect_no_referrer
from core.public_pages import public_page
from eed.ceremonies.selectors import certificate_by_code
from eed.proofs.file_check import file_verdict
from eed.proofs.forms import VerifyFileForm

# Multipart overhead allowed above the file's own limit before the body is refused unread.
UPLOAD_SLACK = 64 * 1024


@public_page(scope="verify", limit="VERIFY_PER_MINUTE")
@require_GET
def certificate_verify(request, code):
    certificate = certificate_by_code(code)
    if certificate is None:
        return render(request, "eed/verify_not_found.html", status=404)
    return render(request, "eed/verify.html", {"certificate": certificate})


def _too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.VERIFY_FILE_MAX_BYTES + UPLOAD_SLACK


@public_page(scope="verify-file", limit="VERIFY_PER_MINUTE", post_limit="VERIFY_FILE_POSTS_PER_MINUTE")
@csrf_protect_no_referrer  # the page is sent with no-referrer: its own post arrives with Origin: null
@require_http_methods(["GET", "POST"])
def document_verify(request):
    context = {"form": VerifyFileForm(), "limit_mb": settings.VERIFY_FILE_MAX_BYTES // (1024 * 1024)}
    if request.method == "GET":
        return render(request, "eed/verify_file.html", context)
    if _too_large(request):  # refused before the body is read
        return render(request, "eed/verify_file.html", {**context, "too_large": True}, status=413)
    form = VerifyFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "eed/verify_file.html", {**context, "form": form}, status=400)
    verdict = file_verdict(form.cleaned_data["document"])
    return render(request, "eed/verify_file.html", {**context, "verdict": verdict})
