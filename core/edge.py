"""The first middleware: security headers on every answer, and request bodies refused above their limit
before anything reads them.
"""

from django.conf import settings
from django.http import HttpResponse
from django.urls import Resolver404, resolve


def _body_limits() -> dict[str, int]:
    """Largest request body per URL name; every other address takes REQUEST_BODY_MAX_BYTES."""
    margin = 64 * 1024  # the multipart framing and the form's other fields
    return {
        "import_upload": settings.IMPORT_MAX_BYTES + margin,
        "certificate_scan_upload": settings.SCAN_MAX_BYTES + margin,
        "api_listNewcomers": settings.API_BATCH_MAX_BYTES,  # /api/v1/newcomers: its PUT takes 5,000 newcomers
    }


def request_body_limit(path_info: str) -> int:
    try:
        name = resolve(path_info).url_name
    except Resolver404:
        name = None
    return _body_limits().get(name, settings.REQUEST_BODY_MAX_BYTES)


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _security_headers() -> dict[str, str]:
    from csp.utils import build_policy

    return {
        "Content-Security-Policy": build_policy(),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": settings.X_FRAME_OPTIONS,
        "Referrer-Policy": settings.SECURE_REFERRER_POLICY,
        "Cross-Origin-Opener-Policy": settings.SECURE_CROSS_ORIGIN_OPENER_POLICY,
    }


class EdgeMiddleware:
    """The first and last thing every request passes: a body limit, and the security headers on every answer.

    The limit is checked on the declared length before anything reads the
    body (CSRF reads the form; Django spools uploads to disk), so an anonymous
    300 MB post is refused at once with 413. The headers are set here as
    defaults, so answers made before the views (static files, "wrong Host"
    400s, errors) carry them too; pages that set their own keep theirs.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = _security_headers()

    def __call__(self, request):
        limit = request_body_limit(request.path_info)
        if _declared_length(request) > limit:
            response = HttpResponse(
                _too_large_text(limit),
                status=413,
                content_type="text/plain; charset=utf-8",
                headers={"Connection": "close"},
            )
        else:
            response = self.get_response(request)
        for name, value in self.headers.items():
            if value and name not in response:
                response[name] = value
        return response


def _too_large_text(limit: int) -> str:
    megabytes = f"{limit / 1024 / 1024:.1f}"
    return (
        f"Het verzoek is te groot: hoogstens {megabytes.replace('.', ',')} MB.\n"
        f"The request is too large: at most {megabytes} MB.\n"
    )
