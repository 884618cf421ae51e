import posixpath
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from onboarding.account_security import (
    SESSION_HAS_SECOND_FACTOR,
    has_second_factor,
    requires_second_factor,
    second_factor_used,
    session_expired,
)
from onboarding.languages import requested_language


def _body_limits() -> dict[str, int]:
    """Largest request body per URL name; every other address takes REQUEST_BODY_MAX_BYTES."""
    margin = 64 * 1024  # the multipart framing and the form's other fields
    return {
        "import_upload": settings.IMPORT_MAX_BYTES + margin,
        "certificate_scan_upload": settings.SCAN_MAX_BYTES + margin,
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


class UserLanguageMiddleware:
    """Activates the requested language for the whole request (replaces LocaleMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = requested_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class SessionTimeoutMiddleware:
    """Signed-in sessions end after SESSION_IDLE_SECONDS without a request, and SESSION_MAX_SECONDS after login.

    Django has no idle timeout; the times live in the session
    (onboarding.account_security), written at most once a minute.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and session_expired(request.session, now=time.time()):
            logout(request)
            messages.info(request, _("Your session has ended. Please log in again."))
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


def _second_factor_exempt_prefixes() -> tuple[str, ...]:
    """allauth's pages (login, logout, MFA set-up), static files and the language switch."""
    accounts = posixpath.commonpath([reverse("account_logout"), reverse("mfa_index")]).rstrip("/") + "/"
    static = "/" + settings.STATIC_URL.lstrip("/") if "://" not in settings.STATIC_URL else None
    return tuple(prefix for prefix in (accounts, static, reverse("language_set")) if prefix and prefix != "/")


class SecondFactorRequiredMiddleware:
    """HR and administrators get in only with a second factor used in this session.

    Without a TOTP app or security key they may only set one up (or log out);
    with one, a session that did not pass it (a role granted after login, a
    session from before this rule) is ended and they log in again, through the
    MFA stage. At most one query per request: the session remembers that it
    passed, and the role check shares the per-request cache of onboarding.roles.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt = None

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.session.get(SESSION_HAS_SECOND_FACTOR)
            and not request.path_info.startswith(self._exempt_prefixes())
            and requires_second_factor(user)
        ):
            if not has_second_factor(user):
                messages.warning(
                    request,
                    _("Your role requires two-factor authentication. Set up an authenticator app or a security key."),
                )
                return redirect("mfa_index")
            if not second_factor_used(request, user):
                logout(request)
                messages.info(request, _("Your role requires your second factor. Please log in again."))
                return redirect_to_login(request.get_full_path())
            request.session[SESSION_HAS_SECOND_FACTOR] = True
        return self.get_response(request)

    def _exempt_prefixes(self) -> tuple[str, ...]:
        if self._exempt is None:
            self._exempt = _second_factor_exempt_prefixes()
        return self._exempt
